import { ConsoleDesk } from '../../src/handoff/console-desk';
import type { DeskLink, HandoffStatusValue } from '../../src/handoff/desk';
import { RedisHandoffFeed } from '../../src/handoff/redis-handoff-feed';
import { RedisHandoffStore } from '../../src/handoff/redis-handoff-store';
import { parseSupportHours } from '../../src/handoff/support-hours';
import type { HandoffFeedEvent } from '../../src/handoff/types';
import { createLogger } from '../../src/log';
import { connectRedis } from '../../src/scale/redis-client';
import type { SharedRedis } from '../../src/scale/redis-client';
import { eventually } from '../handoff/agent-client';
import { SUMMARY } from '../handoff/handoff-store-contract';
import { startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';

/**
 * Two console desks (two instances' worth) on one real Redis: what the
 * desk does on its own, every instance doing it, must reach each user once.
 * The desk's link to the bot (DeskLink, its documented boundary) records
 * what each instance would have told the user.
 */
describe('console desks of two instances on one Redis', () => {
  let server: RunningRedis;
  const shared: SharedRedis[] = [];
  const desks: ConsoleDesk[] = [];
  const log = createLogger('error', () => undefined);
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const d of desks) d.close();
    await Promise.all(shared.map((s) => s.close()));
    await server.stop();
  });

  let n = 0;
  async function instances(timeoutSeconds: number) {
    const prefix = `d${++n}:`;
    const told: HandoffStatusValue[] = [];
    const made = await Promise.all(
      ['A', 'B'].map(async (name) => {
        const redis = connectRedis({ url: server.url, prefix, log, name: `test-${name}` });
        shared.push(redis);
        const feed = new RedisHandoffFeed(redis, (error) => {
          throw error;
        });
        await feed.ready;
        const store = new RedisHandoffStore({ redis: redis.client, prefix });
        const desk = new ConsoleDesk({ store, transcript: () => [], hours: parseSupportHours(''), timeoutSeconds, agentsExist: true, log, sweepMs: 100, feed });
        desks.push(desk);
        const link: DeskLink = { status: async (value) => void told.push(value), toUser: async () => undefined, typingToUser: async () => undefined };
        desk.connect(link);
        return { store, desk };
      }),
    );
    return { a: made[0]!, b: made[1]!, told };
  }
  const request = (conversationId: string) => ({ conversationId, channelId: 'emulator', userName: conversationId, summary: SUMMARY, reference: {} });

  it('tells each request its place once and times it out once, though both instances sweep', async () => {
    const { a, b, told } = await instances(1);
    const first = await a.store.create(request('c1'));
    const second = await b.store.create(request('c2'));
    // Both instances react to the new requests (as if each had received one).
    await Promise.all([a.desk.initiate({ handoffId: first.id, conversationId: 'c1', channelId: 'emulator', userName: 'c1', summary: SUMMARY, transcript: [] }), b.desk.initiate({ handoffId: second.id, conversationId: 'c2', channelId: 'emulator', userName: 'c2', summary: SUMMARY, transcript: [] })]);
    await eventually('both timed out', () => told.filter((s) => s.state === 'failed').length === 2);
    await new Promise((resolve) => setTimeout(resolve, 500)); // more sweeps of both instances
    const summary = told.map((s) => `${s.handoffId === first.id ? 'c1' : 'c2'} ${s.state}${s.state === 'queued' ? ` ${s.position}` : ''}${s.state === 'failed' ? ` ${s.reason}` : ''}`);
    expect(summary.filter((s) => s.startsWith('c1'))).toEqual(['c1 queued 1', 'c1 failed timeout']);
    // c2 was second in line, then first when c1 left the queue (unless both timed out in the same sweep).
    expect(summary.filter((s) => s.startsWith('c2')).at(-1)).toBe('c2 failed timeout');
    expect(summary.filter((s) => s === 'c2 queued 2')).toHaveLength(1);
    expect(summary.filter((s) => s === 'c2 queued 1').length).toBeLessThanOrEqual(1);
    expect((await a.store.auditLog(first.id)).map((e) => e.event)).toEqual(['requested', 'timed_out']);
  });

  it('carries one instance\'s events to the other\'s agents, but not to its "here" listeners', async () => {
    const { a, b } = await instances(300);
    const everywhereOnB: HandoffFeedEvent[] = [];
    const hereOnB: HandoffFeedEvent[] = [];
    const hereOnA: HandoffFeedEvent[] = [];
    b.desk.subscribe((e) => everywhereOnB.push(e));
    b.desk.subscribe((e) => hereOnB.push(e), 'here');
    a.desk.subscribe((e) => hereOnA.push(e), 'here');
    const record = await a.store.create(request('c1'));
    await a.desk.fromUser(record.id, { from: 'user', text: 'hello from A', at: new Date().toISOString() });
    await eventually('the line on B', () => everywhereOnB.find((e) => e.type === 'message' && e.line.text === 'hello from A'));
    expect(hereOnA.map((e) => e.type)).toEqual(['message']);
    expect(hereOnB).toEqual([]);
    // Accepted on B: both ends hear the state; B's "here" listeners too (it happened there).
    const view = await b.desk.accept(record.id, { id: 'console:Alex', name: 'Alex', role: 'agent', via: 'console' });
    expect(view.state).toBe('active');
    await expect(a.desk.accept(record.id, { id: 'console:Sam', name: 'Sam', role: 'agent', via: 'console' })).rejects.toThrow();
    expect(hereOnB.some((e) => e.type === 'state' && e.handoff.state === 'active')).toBe(true);
    expect(await a.desk.mine('console:Alex')).toMatchObject([{ id: record.id, agent: { name: 'Alex' } }]);
  });
});
