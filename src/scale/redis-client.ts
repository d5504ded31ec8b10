import Redis from 'ioredis';
import type { Logger } from '../log';

/**
 * The one Redis connection set of a bot instance (REDIS_URL): a command
 * connection shared by every store, and a subscriber connection for pub/sub,
 * made on first use (a subscribed connection takes no other commands).
 */
export interface SharedRedis {
  readonly client: Redis;
  subscriber(): Redis;
  /** REDIS_KEY_PREFIX: every key and channel name starts with it. */
  readonly prefix: string;
  /** Resolves when Redis answers PING within `timeoutMs`; rejects otherwise (readyz). */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface RedisClientOptions {
  url: string;
  prefix: string;
  log: Logger;
  /** Shown in CLIENT LIST, to tell instances apart. */
  name?: string;
}

/** Reconnection never gives up (Redis restarted, network blip): wait 100 ms, doubling to at most 2 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), 2000);
}

/**
 * Options for every connection: reconnect by itself, and while disconnected let
 * a command wait for about two reconnection attempts (a Redis restart) before
 * it fails, so a turn ends with the apology instead of hanging.
 */
function connectionOptions(name: string | undefined) {
  return {
    connectionName: name,
    retryStrategy: reconnectDelay,
    maxRetriesPerRequest: 2,
    connectTimeout: 5_000,
    enableReadyCheck: true,
  };
}

export function connectRedis(options: RedisClientOptions): SharedRedis {
  const { url, prefix, log, name } = options;
  const watch = (connection: Redis, role: string): Redis => {
    // One line per change of state, not one per failed attempt.
    let down = false;
    connection.on('error', (error: Error) => {
      if (down) return;
      down = true;
      log.warn('redis: connection lost; reconnecting', { role, error: error.message });
    });
    connection.on('ready', () => {
      if (down) log.info('redis: connected again', { role });
      down = false;
    });
    return connection;
  };
  const client = watch(new Redis(url, connectionOptions(name)), 'commands');
  let subscriber: Redis | undefined;
  return {
    client,
    prefix,
    subscriber() {
      subscriber ??= watch(new Redis(url, connectionOptions(name && `${name}-sub`)), 'subscriber');
      return subscriber;
    },
    async ping(timeoutMs = 1_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        if (client.status !== 'ready') throw new Error(`Redis connection is ${client.status}`);
        await Promise.race([client.ping(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all(
        [client, subscriber].map(async (connection) => {
          if (!connection || connection.status === 'end') return;
          try {
            await connection.quit();
          } catch {
            connection.disconnect();
          }
        }),
      );
    },
  };
}
