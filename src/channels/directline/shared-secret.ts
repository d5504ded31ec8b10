import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log';
import type { SharedRedis } from '../../scale/redis-client';

/**
 * The built-in secret every instance signs tokens with, when none is
 * configured: the first instance to ask stores a random one (SET NX) and the
 * others read it, so a token issued by one is accepted by all. Never logged.
 * Resolves once agreed; a failure (Redis down) is retried by the next call.
 * On every reconnect the agreed secret is written back (NX again), so a Redis
 * that lost its data does not make a newcomer choose a different one.
 */
export function sharedSecret(redis: SharedRedis, log: Logger): () => Promise<string> {
  const key = `${redis.prefix}dl:secret`;
  let agreed: Promise<string> | undefined;
  let known: string | undefined;
  const agree = async (): Promise<string> => {
    await redis.client.set(key, randomBytes(32).toString('base64url'), 'NX');
    const secret = await redis.client.get(key);
    if (!secret || secret.length < 32) throw new Error('no Direct Line secret in Redis');
    known = secret;
    return secret;
  };
  redis.client.on('ready', () => {
    if (known) redis.client.set(key, known, 'NX').catch((error: unknown) => log.warn('direct line: could not restore the shared secret in Redis', { error: String(error) }));
  });
  return () =>
    (agreed ??= agree().catch((error: unknown) => {
      agreed = undefined;
      throw error;
    }));
}
