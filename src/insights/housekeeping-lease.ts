import { randomUUID } from 'node:crypto';
import type { SharedRedis } from '../scale/redis-client';
import type { HousekeepingJob } from './housekeeping';

/**
 * With several instances on one Redis: a job's pass is run by whichever
 * instance takes its lease first (SET NX with an expiry); the others skip
 * that period. A holder that dies frees the job when the lease expires.
 */
export function redisHousekeepingClaim(redis: SharedRedis): (job: HousekeepingJob, forMs: number) => Promise<boolean> {
  const holder = randomUUID();
  return async (job, forMs) => (await redis.client.set(`${redis.prefix}insights:lease:${job}`, holder, 'PX', forMs, 'NX')) === 'OK';
}
