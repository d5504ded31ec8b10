export { AppleStatusClient, APPLE_SYSTEM_STATUS_URL, UNKNOWN_CACHE_MS } from './apple-status';
export type { AppleStatusOptions, ProblemType, ServiceStatus, StatusEvent } from './apple-status';
