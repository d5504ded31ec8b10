import { HttpError } from '../../server/http-error';
import { RetryLaterError } from './retry-later-error';

/** Seconds a client should wait when Redis does not answer: about one reconnection cycle of the client. */
const RETRY_AFTER_SECONDS = 3;

/**
 * Runs a Redis call; a failure of Redis itself (down, restarting, timed out)
 * becomes 503 DL_STORE_UNAVAILABLE with Retry-After, while an HttpError the
 * call raised on purpose passes through.
 */
export async function orUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const unavailable = new RetryLaterError('DL_STORE_UNAVAILABLE', RETRY_AFTER_SECONDS);
    (unavailable as { cause?: unknown }).cause = error;
    throw unavailable;
  }
}
