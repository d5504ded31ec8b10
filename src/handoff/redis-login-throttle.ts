import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { throttleKeys, waitFor, WINDOW_MS } from './login-throttle';
import type { LoginThrottle } from './login-throttle';

/**
 * The sign-in throttle counted over every instance: each counter is a sorted
 * set of failure times (`<prefix>handoff:login:<sha256 of address and name>`)
 * that expires with the window, so a guesser gains nothing by spreading
 * attempts over instances.
 */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!redis) throw new TypeError('RedisLoginThrottle needs an ioredis client');
    this.key = `${prefix}handoff:login:`;
  }

  async retryAfter(address: string, name: string): Promise<number> {
    const now = this.now();
    let wait = 0;
    for (const [key, limit] of throttleKeys(address, name)) {
      const k = this.counter(key);
      const replies = (await this.redis.multi().zremrangebyscore(k, '-inf', now - WINDOW_MS).zcard(k).zrange(k, 0, 0, 'WITHSCORES').exec()) ?? [];
      const count = Number(replies[1]?.[1] ?? 0);
      const oldest = (replies[2]?.[1] as string[] | undefined)?.[1];
      wait = Math.max(wait, waitFor(count, oldest === undefined ? undefined : Number(oldest), limit, now));
    }
    return wait;
  }

  async failed(address: string, name: string): Promise<void> {
    const now = this.now();
    const multi = this.redis.multi();
    for (const [key] of throttleKeys(address, name)) {
      const k = this.counter(key);
      // Members must differ: two failures in the same millisecond both count.
      multi.zadd(k, now, `${now}:${randomBytes(6).toString('hex')}`).pexpire(k, WINDOW_MS);
    }
    await multi.exec();
  }

  async succeeded(address: string, name: string): Promise<void> {
    await this.redis.del(this.counter(throttleKeys(address, name)[0]![0]));
  }

  private counter(key: string): string {
    return this.key + createHash('sha256').update(key).digest('hex');
  }
}
