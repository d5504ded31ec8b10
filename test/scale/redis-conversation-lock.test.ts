import Redis from 'ioredis';
import { ConversationLockTimeoutError, RedisConversationLock } from '../../src/scale/redis-conversation-lock';
import type { RedisConversationLockOptions } from '../../src/scale/redis-conversation-lock';
import { closeClients, startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisConversationLock: turns of a conversation one at a time across instances (a real redis-server)', () => {
  let server: RunningRedis;
  const clients: Redis[] = [];
  let prefix = 0;
  /** A lock as one bot instance holds it: its own connection. */
  const instance = (o: Partial<RedisConversationLockOptions> = {}) => {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return { redis, lock: new RedisConversationLock({ redis, prefix: `p${prefix}:`, ...o }) };
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  beforeEach(() => {
    prefix++;
  });
  afterAll(async () => {
    await closeClients(clients);
    await server.stop();
  });

  it('runs the turns of one conversation sent to two instances one at a time, in the order they arrived', async () => {
    const first = instance();
    const second = instance();
    // Both connected first: "arrival" is when a turn takes its ticket on the server.
    await Promise.all([first.redis.ping(), second.redis.ping()]);
    const a = first.lock;
    const b = second.lock;
    const log: string[] = [];
    let running = 0;
    let overlapped = false;
    const turn = (name: string) => async () => {
      running++;
      if (running > 1) overlapped = true;
      log.push(`start ${name}`);
      await sleep(30);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const runs: Promise<string>[] = [];
    for (let i = 0; i < 6; i++) {
      runs.push((i % 2 === 0 ? a : b).run('conv-1', turn(`t${i}`)));
      await sleep(10); // arrival order t0, t1, ...
    }
    expect(await Promise.all(runs)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(overlapped).toBe(false);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start t0', 'start t1', 'start t2', 'start t3', 'start t4', 'start t5']);
  });

  it('lets different conversations run at the same time', async () => {
    const a = instance().lock;
    const b = instance().lock;
    let running = 0;
    let most = 0;
    const turn = async () => {
      running++;
      most = Math.max(most, running);
      await sleep(50);
      running--;
    };
    await Promise.all([a.run('x', turn), b.run('y', turn)]);
    expect(most).toBe(2);
  });

  it('passes a failing turn\'s error on and still hands the conversation to the next turn', async () => {
    const a = instance().lock;
    await expect(a.run('c', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(a.run('c', async () => 'next')).resolves.toBe('next');
  });

  it('does not let an instance that died holding a turn block the conversation for longer than one lease', async () => {
    const dying = instance({ leaseMs: 300 });
    const survivor = instance({ leaseMs: 300 }).lock;
    let started!: () => void;
    const holding = new Promise<void>((r) => (started = r));
    void dying.lock.run('c', () => {
      started();
      return new Promise(() => undefined); // never finishes: the process is gone
    }).catch(() => undefined);
    await holding;
    dying.redis.disconnect(); // no more renewals, no release
    const t0 = Date.now();
    await expect(survivor.run('c', async () => 'went on')).resolves.toBe('went on');
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(5_000);
  });

  it('gives up waiting after waitMs, and the turns after it still run', async () => {
    const holder = instance().lock;
    const impatient = instance({ waitMs: 200 }).lock;
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const held = holder.run('c', () => {
      started();
      return new Promise<void>((r) => (release = r));
    });
    await running;
    const gaveUp = impatient.run('c', async () => 'never');
    const later = holder.run('c', async () => 'later');
    await expect(gaveUp).rejects.toBeInstanceOf(ConversationLockTimeoutError);
    release();
    await held;
    await expect(later).resolves.toBe('later');
  });
});
