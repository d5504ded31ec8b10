import Database from 'better-sqlite3';
import { startHousekeeping } from '../../src/insights/housekeeping';
import { redisHousekeepingClaim } from '../../src/insights/housekeeping-lease';
import { RedisInsightsStore } from '../../src/insights/redis-insights-store';
import { SqliteInsightsStore } from '../../src/insights/sqlite-insights-store';
import { connectRedis } from '../../src/scale/redis-client';
import type { SharedRedis } from '../../src/scale/redis-client';
import { createLogger } from '../../src/log';
import { startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';

const T0 = Date.parse('2026-11-26T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('insights housekeeping', () => {
  let db: Database.Database;
  let store: SqliteInsightsStore;
  let now: number;
  beforeEach(() => {
    // setImmediate stays real: the store commits its events at the end of a tick (TickWrites).
    jest.useFakeTimers({ now: T0, doNotFake: ['setImmediate'] });
    now = T0;
    db = new Database(':memory:');
    store = new SqliteInsightsStore(db);
  });
  afterEach(() => {
    jest.useRealTimers();
    db.close();
  });
  const kindsOf = async (conversation: string) => (await store.events(conversation)).map((e) => e.kind);

  it('deletes what is past retention at start and then daily, here and in the other stores given', async () => {
    await store.record({ conversation: 'old', kind: 'escalated', at: iso(T0 - 31 * 86_400_000) });
    await store.record({ conversation: 'recent', kind: 'escalated', at: iso(T0 - 29 * 86_400_000) });
    const transcriptCutoffs: string[] = [];
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now, alsoDelete: [async (before) => (transcriptCutoffs.push(before), 0)] });
    await jest.advanceTimersByTimeAsync(0);
    expect(await store.events('old')).toEqual([]);
    expect(await store.events('recent')).toHaveLength(1);
    expect(transcriptCutoffs).toEqual([iso(T0 - 30 * 86_400_000)]);
    now += 3_600_000;
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(transcriptCutoffs).toHaveLength(1);
    now += 86_400_000;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(transcriptCutoffs).toHaveLength(2);
    keeper.stop();
  });

  it('marks a conversation abandoned once it has been idle inside a fix for the configured time', async () => {
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now });
    await store.record({ conversation: 'c', kind: 'step_reached', fix: 'restart_iphone', step: 'hold-buttons', at: iso(now) });
    now += 29 * 60_000;
    await jest.advanceTimersByTimeAsync(29 * 60_000);
    expect(await kindsOf('c')).toEqual(['step_reached']);
    now += 2 * 60_000;
    await jest.advanceTimersByTimeAsync(2 * 60_000);
    expect(await kindsOf('c')).toEqual(['step_reached', 'abandoned']);
    keeper.stop();
  });

  it('runs a job on the insights store only when it holds its claim; the other stores\' retention always', async () => {
    await store.record({ conversation: 'old', kind: 'escalated', at: iso(T0 - 31 * 86_400_000) });
    const asked: string[] = [];
    const transcriptCutoffs: string[] = [];
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now, claim: async (job) => (asked.push(job), false), alsoDelete: [async (before) => (transcriptCutoffs.push(before), 0)] });
    await jest.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['abandonment', 'retention']);
    expect(await store.events('old')).toHaveLength(1);
    expect(transcriptCutoffs).toHaveLength(1);
    keeper.stop();
  });

  it('reports a failing pass and keeps running', async () => {
    const errors: unknown[] = [];
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now, onError: (e) => errors.push(e) });
    await jest.advanceTimersByTimeAsync(0);
    db.close();
    await jest.advanceTimersByTimeAsync(60_000);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(errors.length).toBe(2);
    keeper.stop();
    db = new Database(':memory:');
  });

  it('refuses a retention or idle time that is not positive', () => {
    expect(() => startHousekeeping({ store, retentionDays: 0, abandonAfterMinutes: 30 })).toThrow(RangeError);
  });
});

describe('insights housekeeping of several instances on one Redis', () => {
  let server: RunningRedis;
  const connections: SharedRedis[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await server.stop();
  });
  const instance = (prefix: string): SharedRedis => {
    const redis = connectRedis({ url: server.url, prefix, log: createLogger('silent') });
    connections.push(redis);
    return redis;
  };

  it('gives each job\'s lease to one instance until it expires', async () => {
    const [a, b] = [instance('lease:'), instance('lease:')];
    const [claimA, claimB] = [redisHousekeepingClaim(a), redisHousekeepingClaim(b)];
    const both = await Promise.all([claimA('retention', 300), claimB('retention', 300)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await claimB('abandonment', 300)).toBe(true);
    expect(await claimA('abandonment', 300)).toBe(false);
    const loser = both[0] ? claimB : claimA;
    expect(await loser('retention', 300)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await loser('retention', 300)).toBe(true);
  });

  it('deletes past retention once and marks an idle conversation once when two instances start together', async () => {
    const [a, b] = [instance('pair:'), instance('pair:')];
    const store = new RedisInsightsStore(a.client, a.prefix);
    const now = Date.now();
    await store.record({ conversation: 'old', kind: 'escalated', at: iso(now - 31 * 86_400_000) });
    await store.record({ conversation: 'idle', kind: 'step_reached', fix: 'f', step: 's', at: iso(now - 3_600_000) });
    const transcripts: string[] = [];
    await store.record({ conversation: 'old2', kind: 'escalated', at: iso(now - 32 * 86_400_000) });
    const keepers = [a, b].map((redis) =>
      startHousekeeping({
        store: new RedisInsightsStore(redis.client, redis.prefix),
        retentionDays: 30,
        abandonAfterMinutes: 30,
        alsoDelete: [async (before) => (transcripts.push(before), 0)],
        claim: redisHousekeepingClaim(redis),
      }),
    );
    // Each starts with a pass of its own; a second round at once finds the leases taken.
    await Promise.all(keepers.map((k) => k.run()));
    keepers.forEach((k) => k.stop());
    expect(await store.events('old')).toEqual([]);
    expect(await store.events('old2')).toEqual([]);
    expect((await store.events('idle')).map((e) => e.kind)).toEqual(['step_reached', 'abandoned']);
    // Each instance's own stores: deleted by each, once a day.
    expect(transcripts).toHaveLength(2);
  });
});
