export { SqliteStorage } from './sqlite-storage';
export type { SqliteStorageOptions } from './sqlite-storage';
