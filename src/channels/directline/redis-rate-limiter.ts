import type { SharedRedis } from '../../scale/redis-client';
import type { RateLimiter } from './rate-limiter';
import { orUnavailable } from './redis-unavailable';

export interface RedisRateLimiterOptions {
  redis: SharedRedis;
  /** Requests allowed per key per window, all instances together. */
  limit: number;
  windowMs: number;
  now?: () => number;
}

/**
 * The token route's limit shared by every instance (a fixed window per key,
 * counted in Redis), so a balancer spreading one address over N instances
 * does not multiply what it may take by N.
 */
export function createRedisRateLimiter({ redis, limit, windowMs, now = Date.now }: RedisRateLimiterOptions): RateLimiter {
  if (!redis) throw new Error('createRedisRateLimiter needs a SharedRedis');
  if (!Number.isInteger(limit) || limit < 1) throw new Error('createRedisRateLimiter needs limit >= 1');
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new Error('createRedisRateLimiter needs windowMs >= 1');
  return {
    take: (clientKey) =>
      orUnavailable(redis, async () => {
        const t = now();
        const window = Math.floor(t / windowMs);
        const key = `${redis.prefix}dl:rate:${window}:${clientKey}`;
        const results = await redis.client.multi().incr(key).pexpire(key, windowMs).exec();
        const count = Number(results?.[0]?.[1]);
        if (!Number.isFinite(count)) throw new Error('redis rate limit: no count');
        return count <= limit ? 0 : Math.max(1, Math.ceil(((window + 1) * windowMs - t) / 1000));
      }),
  };
}
