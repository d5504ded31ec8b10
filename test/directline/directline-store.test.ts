/** The Direct Line stores, in memory and in a real redis-server, held to one contract; then what only Redis can do. */
import Redis from 'ioredis';
import { createConversationStore } from '../../src/channels/directline/conversation-store';
import type { ActivitySet } from '../../src/channels/directline/conversation-log';
import { memoryDirectLineStore } from '../../src/channels/directline/directline-store';
import { createRedisDirectLineStore } from '../../src/channels/directline/redis-directline-store';
import { createRedisRateLimiter } from '../../src/channels/directline/redis-rate-limiter';
import { sharedSecret } from '../../src/channels/directline/shared-secret';
import { connectRedis } from '../../src/scale/redis-client';
import type { SharedRedis } from '../../src/scale/redis-client';
import { closeClients, startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';
import { CONTRACT_LIMITS, describeDirectLineStoreContract } from './directline-store-contract';
import { waitFor } from './harness';

jest.setTimeout(30_000);

const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };

describe('in memory', () => {
  describeDirectLineStoreContract(async () => {
    const store = memoryDirectLineStore(createConversationStore({ ...CONTRACT_LIMITS, maxConversations: 100, maxTotalBytes: 1024 * 1024 }));
    return { a: store, b: store };
  });
});

describe('in Redis (a real redis-server of its own)', () => {
  let server: RunningRedis;
  const connections: SharedRedis[] = [];
  const probes: Redis[] = [];
  let n = 0;
  /** One instance's connection set. */
  const instance = (prefix: string): SharedRedis => {
    const redis = connectRedis({ url: server.url, prefix, log, name: `test-${connections.length}` });
    connections.push(redis);
    return redis;
  };
  const store = (redis: SharedRedis, overrides: { idleSeconds?: number } = {}) =>
    createRedisDirectLineStore({ redis, log, ...CONTRACT_LIMITS, idleSeconds: 3600, rememberSeconds: 3600, ...overrides });

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close()));
    await closeClients(probes);
    await server.stop();
  });

  describe('the contract, two instances on one Redis', () => {
    // Each test gets its own prefix: no conversations, without flushing the server.
    describeDirectLineStoreContract(
      async () => {
        const prefix = `t${++n}:`;
        return { a: store(instance(prefix)), b: store(instance(prefix)) };
      },
      (pair) => {
        (pair.a as ReturnType<typeof store>).close();
        (pair.b as ReturnType<typeof store>).close();
      },
    );
  });

  it('fills the gap from the log when its subscriber connection was cut, so a watcher misses nothing and gets nothing twice', async () => {
    const prefix = `gap${++n}:`;
    const watching = instance(prefix);
    const a = store(watching);
    const b = store(instance(prefix));
    await b.create('c', 'u');
    const heard: Array<ActivitySet | null> = [];
    await a.watch('c', undefined, (set) => heard.push(set));
    await b.append('c', { type: 'message', text: '0' });
    await waitFor('the first activity', () => heard.length === 2);
    // Cut the subscriber only (what a network blip does); append while it reconnects.
    const probe = new Redis(server.url);
    probes.push(probe);
    const reconnected = new Promise((resolve) => watching.subscriber().once('ready', resolve));
    await probe.client('KILL', 'TYPE', 'pubsub');
    for (const text of ['1', '2', '3']) await b.append('c', { type: 'message', text });
    // Nothing new is published after the reconnect: the watcher must notice the gap by itself.
    await reconnected;
    const all = () => heard.flatMap((set) => set?.activities.map((x) => x.text) ?? []);
    await waitFor('the activities appended while it reconnected', () => all().length >= 4);
    await b.append('c', { type: 'message', text: '4' });
    await waitFor('the next one', () => all().length >= 5);
    await new Promise((r) => setTimeout(r, 200));
    expect(all()).toEqual(['0', '1', '2', '3', '4']);
    a.close();
    b.close();
  });

  it('expires an idle conversation, remembering its last number for a returning client, and tells its watchers', async () => {
    const s = store(instance(`idle${++n}:`), { idleSeconds: 1 });
    await s.create('c', 'u');
    await s.append('c', { type: 'message' });
    await s.append('c', { type: 'message' });
    await new Promise((r) => setTimeout(r, 1200));
    await expect(s.get('c')).resolves.toBeUndefined();
    await expect(s.evicted('c')).resolves.toBe(1);
    const heard: Array<ActivitySet | null> = [];
    await s.watch('c', '1', (set) => heard.push(set));
    expect(heard).toEqual([null]);
    s.close();
  });

  it('answers 503 DL_STORE_UNAVAILABLE while Redis is down, and works again by itself once it is back', async () => {
    const s = store(instance(`down${++n}:`));
    await s.create('c', 'u');
    await server.kill();
    try {
      await expect(s.get('c')).rejects.toMatchObject({ code: 'DL_STORE_UNAVAILABLE', status: 503, retryAfterSeconds: expect.any(Number) });
      await expect(s.append('c', { type: 'message' })).rejects.toMatchObject({ code: 'DL_STORE_UNAVAILABLE' });
    } finally {
      await server.restart();
    }
    // No persistence in the test server: the conversation is gone, but the store answers again.
    await waitFor('Redis back', async () => (await s.create('c', 'u').catch(() => undefined))?.fresh === true, 10_000);
    expect((await s.append('c', { type: 'message' })).id).toBe('c|0000000');
    s.close();
  });

  it('agrees on one token secret among instances, never a short one', async () => {
    const prefix = `secret${++n}:`;
    const secrets = await Promise.all([0, 1, 2].map(() => sharedSecret(instance(prefix), log)()));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]!.length).toBeGreaterThanOrEqual(32);
    expect(await sharedSecret(instance(`other${++n}:`), log)()).not.toBe(secrets[0]);
  });

  it('counts the token limit across instances', async () => {
    const prefix = `rate${++n}:`;
    const [a, b] = [0, 1].map(() => createRedisRateLimiter({ redis: instance(prefix), limit: 3, windowMs: 60_000 }));
    const answers = [await a!.take('1.2.3.4'), await b!.take('1.2.3.4'), await a!.take('1.2.3.4'), await b!.take('1.2.3.4')];
    expect(answers.slice(0, 3)).toEqual([0, 0, 0]);
    expect(answers[3]).toBeGreaterThan(0);
    expect(await a!.take('5.6.7.8')).toBe(0);
  });
});
