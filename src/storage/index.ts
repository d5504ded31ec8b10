export { SqliteStorage } from './sqlite-storage';
export type { SqliteStorageOptions } from './sqlite-storage';
export { SqliteTranscriptStore } from './sqlite-transcript-store';
