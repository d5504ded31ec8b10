import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config';

/**
 * The bot's own database (DATA_DIR/state.sqlite) for a command run beside
 * it, or the sentence saying there is none yet: a command never creates it.
 */
export function openStateDatabase(config: Config): Database.Database | { missing: string } {
  const file = join(config.dataDir, 'state.sqlite');
  if (!existsSync(file)) return { missing: `No data yet: ${file} does not exist (the bot creates it when it first runs).` };
  return new Database(file);
}
