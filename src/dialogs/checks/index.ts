export { storageSpaceCheck } from './storage-space';
export { appleStatusCheck } from './apple-status';
export type { StatusSource } from './apple-status';
export { specsOf } from './types';
export type { StepCheck, StepChecks } from './types';
