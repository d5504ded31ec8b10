import type { AgentSessions } from '../../src/handoff/agent-sessions';
import type { ChatwootOutbox } from '../../src/handoff/desks/chatwoot/outbox';
import { RedisChatwootOutbox } from '../../src/handoff/desks/chatwoot/redis-outbox';
import type { LoginThrottle } from '../../src/handoff/login-throttle';
import { RedisAgentSessions } from '../../src/handoff/redis-agent-sessions';
import { RedisHandoffStore } from '../../src/handoff/redis-handoff-store';
import { RedisLoginThrottle } from '../../src/handoff/redis-login-throttle';
import { describeChatwootOutboxContract } from '../handoff/desks/chatwoot-outbox-contract';
import { describeHandoffStoreContract, describeSessionsContract, describeThrottleContract } from '../handoff/handoff-store-contract';
import { useTestRedis } from '../support/redis-server';

describe('the hand-off stores on Redis (a real redis-server of its own)', () => {
  const { client, freshPrefix } = useTestRedis();

  // Each test gets its own prefix (empty stores without flushing); a twin is another connection on the same prefix: another instance.
  const prefixes = new WeakMap<object, string>();
  const owned = <T extends object>(made: T, prefix: string): T => (prefixes.set(made, prefix), made);

  describe('RedisHandoffStore', () =>
    describeHandoffStoreContract(
      async (clock) => {
        const prefix = freshPrefix();
        return owned(new RedisHandoffStore({ redis: client(), prefix, now: clock.now }), prefix);
      },
      async (store, clock) => new RedisHandoffStore({ redis: client(), prefix: prefixes.get(store)!, now: clock.now }),
    ));

  describe('RedisAgentSessions', () =>
    describeSessionsContract(
      async (now) => {
        const prefix = freshPrefix();
        return owned(new RedisAgentSessions(client(), prefix, now), prefix);
      },
      async (sessions: AgentSessions, now) => new RedisAgentSessions(client(), prefixes.get(sessions)!, now),
    ));

  describe('RedisLoginThrottle', () =>
    describeThrottleContract(
      async (now) => {
        const prefix = freshPrefix();
        return owned(new RedisLoginThrottle(client(), prefix, now), prefix);
      },
      async (throttle: LoginThrottle, now) => new RedisLoginThrottle(client(), prefixes.get(throttle)!, now),
    ));

  describe('RedisChatwootOutbox', () => {
    describeChatwootOutboxContract(
      async () => {
        const prefix = freshPrefix();
        return owned(new RedisChatwootOutbox(client(), prefix), prefix);
      },
      async (outbox: ChatwootOutbox) => new RedisChatwootOutbox(client(), prefixes.get(outbox)!),
    );

    it('lets one instance at a time deliver a hand-off\'s items; another waits for the release, or gives up', async () => {
      const prefix = freshPrefix();
      const [a, b] = [new RedisChatwootOutbox(client(), prefix), new RedisChatwootOutbox(client(), prefix)];
      const held = await a.hold('h1', 0);
      expect(held).toBeDefined();
      expect(await b.hold('h1', 0)).toBeUndefined();
      expect(await b.hold('h2', 0)).toBeDefined();
      const waiting = b.hold('h1', 5_000);
      await new Promise((resolve) => setTimeout(resolve, 120));
      await held!();
      const got = await waiting;
      expect(got).toBeDefined();
      // A stale release (the holder's lease ran out and another took over) does not free the other's hold.
      await held!();
      expect(await a.hold('h1', 0)).toBeUndefined();
      await got!();
    });
  });

  it('keeps its keys under <prefix>handoff:', async () => {
    const redis = client();
    const store = new RedisHandoffStore({ redis, prefix: 'own:' });
    await store.create({ conversationId: 'c1', channelId: 'emulator', userName: 'Ann', summary: { fixesTried: [], sizes: [], devices: [], firstMessage: '', lastUserMessages: [], channel: 'emulator' }, reference: {} });
    await new RedisAgentSessions(redis, 'own:').create({ name: 'Alex', role: 'agent' });
    await new RedisLoginThrottle(redis, 'own:').failed('10.0.0.1', 'Alex');
    await new RedisChatwootOutbox(redis, 'own:').add('h1', 'incoming', 'hi');
    const keys = await redis.keys('own:*');
    expect(keys.length).toBeGreaterThan(4);
    expect(keys.filter((k) => !k.startsWith('own:handoff:'))).toEqual([]);
  });
});
