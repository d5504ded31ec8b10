import type { SharedRedis } from './redis-client';

// What ioredis rejects a command with while it cannot reach the server (offline queue given up, socket gone).
const UNREACHABLE = /max retries per request|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Stream isn't writeable/i;

/**
 * Whether a turn failed because Redis could not be reached: an ioredis
 * connection error anywhere in the error's causes, or the connection not
 * ready right now. The turn's error path then tells the user so.
 */
export function redisUnreachable(redis: SharedRedis): (error: unknown) => boolean {
  return (error) => {
    if (redis.client.status !== 'ready') return true;
    const seen = new Set<unknown>();
    for (let e = error as { name?: unknown; message?: unknown; cause?: unknown } | undefined; e && !seen.has(e); e = e.cause as typeof e) {
      seen.add(e);
      if (e.name === 'MaxRetriesPerRequestError' || UNREACHABLE.test(String(e.message ?? ''))) return true;
    }
    return false;
  };
}
