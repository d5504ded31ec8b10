import { createTurnErrorHandler } from '../../src/bot/turn-failure';
import type { Logger } from '../../src/log';
import { connectRedis } from '../../src/scale/redis-client';
import type { SharedRedis } from '../../src/scale/redis-client';
import { redisUnreachable } from '../../src/scale/redis-unavailable';
import { realContent, TestConversation } from '../support/test-bot';
import { startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('telling a Redis outage from a fault of the bot (a real redis-server, killed and restarted)', () => {
  let server: RunningRedis;
  let redis: SharedRedis;
  beforeAll(async () => {
    server = await startRedis();
    redis = connectRedis({ url: server.url, prefix: 't:', log: quiet });
    await new Promise<void>((resolve) => (redis.client.status === 'ready' ? resolve() : redis.client.once('ready', () => resolve())));
  });
  afterAll(async () => {
    await redis.close();
    await server.stop();
  });

  it('names the error of a command made while Redis is down, and not an ordinary fault, and the connection comes back by itself', async () => {
    const unreachable = redisUnreachable(redis);
    expect(unreachable(new Error('simulated fault in understanding'))).toBe(false);
    await server.kill();
    const error = await redis.client.get('t:x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(unreachable(error)).toBe(true);
    // Wrapped on the way up (as dialog code does), still recognised.
    expect(unreachable(new Error('dialog failed', { cause: error }))).toBe(true);
    await server.restart();
    const deadline = Date.now() + 10_000;
    while (redis.client.status !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await expect(redis.ping()).resolves.toBeUndefined();
    expect(unreachable(new Error('simulated fault in understanding'))).toBe(false);
  });

  it('the turn\'s error path then says the store is unreachable (the text in messages.yaml), not the generic apology', async () => {
    const text = realContent().content.messages.text;
    const conversation = new TestConversation();
    const logged: string[] = [];
    const log: Logger = { ...quiet, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
    conversation.adapter.onTurnError = createTurnErrorHandler({ log, apology: text.error!, storeDown: { when: (e) => String(e).includes('Redis'), message: text.store_unavailable! } });
    conversation.adapter.use({ onTurn: async (context, next) => (context.activity.text === 'down' ? Promise.reject(new Error('Redis is down')) : next()) });
    expect((await conversation.say('down')).text).toBe(text.store_unavailable);
    expect(logged).toEqual(['turn not processed: the shared store is unreachable; the conversation is unchanged']);
  });
});
