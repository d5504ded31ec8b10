import Redis from 'ioredis';
import type { AgentSessions } from '../../src/handoff/agent-sessions';
import type { LoginThrottle } from '../../src/handoff/login-throttle';
import { RedisAgentSessions } from '../../src/handoff/redis-agent-sessions';
import { RedisHandoffStore } from '../../src/handoff/redis-handoff-store';
import { RedisLoginThrottle } from '../../src/handoff/redis-login-throttle';
import { describeHandoffStoreContract, describeSessionsContract, describeThrottleContract } from '../handoff/handoff-store-contract';
import { closeClients, startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';

describe('the hand-off stores on Redis (a real redis-server of its own)', () => {
  let server: RunningRedis;
  const clients: Redis[] = [];
  let n = 0;
  const client = (): Redis => {
    const redis = new Redis(server.url);
    clients.push(redis);
    return redis;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await closeClients(clients);
    await server.stop();
  });

  // Each test gets its own prefix (empty stores without flushing); a twin is another connection on the same prefix: another instance.
  const prefixes = new WeakMap<object, string>();
  const owned = <T extends object>(made: T, prefix: string): T => (prefixes.set(made, prefix), made);

  describe('RedisHandoffStore', () =>
    describeHandoffStoreContract(
      async (clock) => {
        const prefix = `t${++n}:`;
        return owned(new RedisHandoffStore({ redis: client(), prefix, now: clock.now }), prefix);
      },
      async (store, clock) => new RedisHandoffStore({ redis: client(), prefix: prefixes.get(store)!, now: clock.now }),
    ));

  describe('RedisAgentSessions', () =>
    describeSessionsContract(
      async (now) => {
        const prefix = `t${++n}:`;
        return owned(new RedisAgentSessions(client(), prefix, now), prefix);
      },
      async (sessions: AgentSessions, now) => new RedisAgentSessions(client(), prefixes.get(sessions)!, now),
    ));

  describe('RedisLoginThrottle', () =>
    describeThrottleContract(
      async (now) => {
        const prefix = `t${++n}:`;
        return owned(new RedisLoginThrottle(client(), prefix, now), prefix);
      },
      async (throttle: LoginThrottle, now) => new RedisLoginThrottle(client(), prefixes.get(throttle)!, now),
    ));

  it('keeps its keys under <prefix>handoff:', async () => {
    const redis = client();
    const store = new RedisHandoffStore({ redis, prefix: 'own:' });
    await store.create({ conversationId: 'c1', channelId: 'emulator', userName: 'Ann', summary: { fixesTried: [], sizes: [], devices: [], firstMessage: '', lastUserMessages: [], channel: 'emulator' }, reference: {} });
    await new RedisAgentSessions(redis, 'own:').create({ name: 'Alex', role: 'agent' });
    await new RedisLoginThrottle(redis, 'own:').failed('10.0.0.1', 'Alex');
    const keys = await redis.keys('own:*');
    expect(keys.length).toBeGreaterThan(4);
    expect(keys.filter((k) => !k.startsWith('own:handoff:'))).toEqual([]);
  });
});
