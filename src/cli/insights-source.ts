import type { Config } from '../config';
import type { InsightsStore } from '../insights/insights-store';
import { RedisInsightsStore } from '../insights/redis-insights-store';
import { SqliteInsightsStore } from '../insights/sqlite-insights-store';
import { createLogger } from '../log';
import { connectRedis } from '../scale/redis-client';
import { openStateDatabase } from './state-database';

export interface InsightsSource {
  store: InsightsStore;
  close(): Promise<void>;
}

/**
 * The insights the bot records, for a command run beside it: in Redis when
 * REDIS_URL is set (what every instance shares), otherwise in the bot's own
 * database in DATA_DIR, or the sentence saying there is none yet.
 */
export function openInsights(config: Config): InsightsSource | { missing: string } {
  if (config.redis.url) {
    const redis = connectRedis({ url: config.redis.url, prefix: config.redis.keyPrefix, log: createLogger('error'), name: 'insights-command' });
    return { store: new RedisInsightsStore(redis.client, redis.prefix), close: () => redis.close() };
  }
  const db = openStateDatabase(config);
  if ('missing' in db) return db;
  return { store: new SqliteInsightsStore(db), close: async () => void db.close() };
}
