/** Only a Redis that cannot be reached is 503 DL_STORE_UNAVAILABLE; any other failure passes through as it is. */
import { orUnavailable } from '../../src/channels/directline/redis-unavailable';
import { RetryLaterError } from '../../src/channels/directline/retry-later-error';
import type { SharedRedis } from '../../src/scale/redis-client';
import { HttpError } from '../../src/server/http-error';

// redisUnreachable reads only the connection's status and the error.
const redisThatIs = (status: string) => ({ client: { status } }) as unknown as SharedRedis;

it('a connection failure becomes 503 DL_STORE_UNAVAILABLE with Retry-After, the failure as its cause', async () => {
  const down = new Error('connect ECONNREFUSED 127.0.0.1:6379');
  const error = await orUnavailable(redisThatIs('ready'), () => Promise.reject(down)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RetryLaterError);
  expect(error).toMatchObject({ code: 'DL_STORE_UNAVAILABLE', retryAfterSeconds: 3, cause: down });
  await expect(orUnavailable(redisThatIs('reconnecting'), () => Promise.reject(new Error('anything')))).rejects.toMatchObject({ code: 'DL_STORE_UNAVAILABLE' });
});

it('a script error or a bug on a connected Redis, and an HttpError raised on purpose, pass through unchanged', async () => {
  const scriptError = new Error('ERR Error running script: attempt to compare nil with number');
  await expect(orUnavailable(redisThatIs('ready'), () => Promise.reject(scriptError))).rejects.toBe(scriptError);
  const notFound = new HttpError('DL_CONVERSATION_NOT_FOUND');
  await expect(orUnavailable(redisThatIs('ready'), () => Promise.reject(notFound))).rejects.toBe(notFound);
  await expect(orUnavailable(redisThatIs('ready'), async () => 7)).resolves.toBe(7);
});
