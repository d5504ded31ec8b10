import type { CheckSpecs } from '../../content/load-dialogs';
import { APPLE_STATUS_SPEC, appleStatusCheck } from './apple-status';
import type { StatusSource } from './apple-status';
import { storageSpaceCheck } from './storage-space';
import type { StepChecks } from './types';

/** The checks fix steps may name (`check: …` in dialogs/*.yaml). */
export function createChecks(status: StatusSource): StepChecks {
  return { 'storage-space': storageSpaceCheck, 'apple-status': appleStatusCheck(status) };
}

/** What content may say about each check, for tools that read content without running it. */
export const CHECK_SPECS: CheckSpecs = { 'storage-space': storageSpaceCheck.spec, 'apple-status': APPLE_STATUS_SPEC };

export type { StatusSource } from './apple-status';
export type { StepCheck, StepChecks } from './types';
