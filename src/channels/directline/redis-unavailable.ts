import type { SharedRedis } from '../../scale/redis-client';
import { redisUnreachable } from '../../scale/redis-unavailable';
import { HttpError } from '../../server/http-error';
import { RetryLaterError } from './retry-later-error';

/** Seconds a client should wait when Redis does not answer: about one reconnection cycle of the client. */
const RETRY_AFTER_SECONDS = 3;

/**
 * Runs a Redis call; a failure to reach Redis (down, restarting, timed out:
 * the bot's one test of that, `redisUnreachable`) becomes 503
 * DL_STORE_UNAVAILABLE with Retry-After. Anything else (an HttpError raised
 * on purpose, a script error, a bug) passes through as it is, so it is not
 * dressed up as an outage a client would retry forever.
 */
export async function orUnavailable<T>(redis: SharedRedis, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpError || !redisUnreachable(redis)(error)) throw error;
    throw new RetryLaterError('DL_STORE_UNAVAILABLE', RETRY_AFTER_SECONDS, { cause: error });
  }
}
