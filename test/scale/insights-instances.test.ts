/**
 * Insights with two real bot processes on one real redis-server (REDIS_URL):
 * conversations whose turns alternate between the instances make one set of outcomes
 * and funnel counts, which /admin's API gives alike on both; the rating is
 * asked once per conversation whichever instance runs the turn; "delete my
 * data" said to one instance removes what the other recorded.
 */
import Redis from 'ioredis';
import type { Activity } from 'botbuilder-core';
import { LoopbackChannel } from '../../src/channels/loopback/loopback-channel';
import { hashPassword } from '../../src/handoff/agent-accounts';
import type { InsightsFigures } from '../../src/insights/figures';
import type { InboxItem } from '../../src/insights/insights-store';
import { RedisInsightsStore } from '../../src/insights/redis-insights-store';
import { AgentClient } from '../handoff/agent-client';
import { messagesText } from '../integration/harness';
import { useBotCluster } from '../support/bot-cluster';
import { closeClients } from '../support/redis-server';

const text = messagesText();
const PASSWORD = 'correct horse battery staple';
const cluster = useBotCluster('insights-instances', { instances: 2, env: { AGENT_ACCOUNTS: `Sam:admin:${hashPassword(PASSWORD)}` } });
// Whole days around now: both instances answer for exactly the same period.
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const PERIOD = `since=${day(-1)}&until=${day(2)}`;

/** One user's conversation; each turn names the instance (0 = A, 1 = B) it is sent to. */
class Conversation {
  private seen = 0;
  constructor(
    private readonly channel: LoopbackChannel,
    readonly id: string,
  ) {}

  async say(instance: number, said: string): Promise<{ text: string; buttons: string[] }> {
    const res = await this.channel.sendText(this.id, said, {}, cluster().instances[instance]!.messages);
    expect(res.status).toBe(200);
    const all = this.channel.received(this.id);
    const fresh = all.slice(this.seen).filter((a: Partial<Activity>) => a.type === 'message');
    this.seen = all.length;
    return {
      text: fresh.map((a) => a.text ?? '').join('\n'),
      buttons: fresh.flatMap((a) => (a.suggestedActions?.actions ?? []).map((b) => String(b.title ?? b.value))),
    };
  }
}

describe('insights shared by two instances on Redis', () => {
  let channel: LoopbackChannel;
  const admins: AgentClient[] = [];
  const clients: Redis[] = [];
  let store: RedisInsightsStore;
  const key = (c: Conversation) => `emulator:${c.id}`;
  let n = 0;
  const conversation = () => new Conversation(channel, `insights-${process.pid}-${++n}`);

  beforeAll(async () => {
    const [a] = cluster().instances;
    channel = await LoopbackChannel.start({ botEndpoint: a!.messages, channelId: 'emulator' });
    // The console's sessions are each instance's own here (shared sessions are the hand-off's part): sign in on both.
    for (const instance of cluster().instances) {
      const admin = new AgentClient(instance.url);
      expect((await admin.signIn('Sam', PASSWORD)).status).toBe(200);
      admins.push(admin);
    }
    const redis = new Redis(cluster().redis.url);
    clients.push(redis);
    // What the instances write, read as they read it (REDIS_KEY_PREFIX's default).
    store = new RedisInsightsStore(redis, 'wabot:');
  });
  afterAll(async () => {
    await channel?.close();
    await closeClients(clients);
  });

  const figuresOn = async (i: number): Promise<InsightsFigures> => {
    const answer = await admins[i]!.call('GET', `/admin/api/figures?${PERIOD}`);
    expect(answer.status).toBe(200);
    return answer.body as unknown as InsightsFigures;
  };
  const inboxOn = async (i: number): Promise<InboxItem[]> => {
    const answer = await admins[i]!.call('GET', '/admin/api/inbox');
    expect(answer.status).toBe(200);
    return (answer.body as { open: InboxItem[] }).open;
  };

  test('journeys on both instances make one set of outcomes and funnel counts, the same on either; the rating is asked once', async () => {
    // A fix solved and rated, its turns alternating A, B, A, B.
    const rated = conversation();
    expect((await rated.say(0, 'whatsapp says not enough icloud storage for the backup')).buttons.length).toBeGreaterThan(0);
    expect((await rated.say(1, 'oh wait, it works now!')).text).toContain(text.csat_ask);
    expect((await rated.say(0, '4')).text).toContain(text.csat_comment_ask);
    expect((await rated.say(1, 'quick. mail me at jane.doe@example.com')).text).toContain(text.csat_thanks);
    // Another fix solved in the same conversation (A, then B): no second question.
    expect((await rated.say(0, 'how do i back up whatsapp manually')).buttons.length).toBeGreaterThan(0);
    const again = await rated.say(1, 'it worked, thanks');
    expect(again.text).not.toContain(text.csat_ask);

    // "I can't find it" on A in a fix started on B; Android on B; out of scope on A; a message not understood on A.
    const stuck = conversation();
    await stuck.say(1, 'how do i back up whatsapp manually');
    await stuck.say(0, "i can't find it");
    const android = conversation();
    expect((await android.say(1, 'my samsung galaxy will not back up whatsapp')).text).toContain(text.android);
    const weather = conversation();
    await weather.say(0, "what's the weather like in paris tomorrow");
    const vague = conversation();
    expect((await vague.say(0, "it's the thing")).text).toContain(text.fallback);

    const [onA, onB] = [await figuresOn(0), await figuresOn(1)];
    expect(onB).toEqual(onA);
    expect(onA.conversations).toBe(4);
    expect(onA.outcomes).toEqual({ resolved: 1, escalated: 0, handed_off: 0, abandoned: 0, out_of_scope: 1, android: 1 });
    expect(onA.open).toBe(1);
    expect(onA.resolvedByFix).toEqual([
      { fix: 'icloud-storage', resolved: 1 },
      { fix: 'manual-backup', resolved: 1 },
    ]);
    const manual = onA.fixes.find((f) => f.fix === 'manual-backup')!;
    expect(manual).toMatchObject({ started: 2, solved: 1 });
    expect(manual.steps.reduce((sum, s) => sum + s.cantFind, 0)).toBe(1);
    expect(onA.csat).toEqual({ answers: 1, mean: 4, distribution: [0, 0, 0, 1, 0] });
    // Each event once, whichever instance recorded it.
    expect((await store.events(key(rated))).map((e) => e.kind)).toEqual(['fix_started', 'step_reached', 'resolved', 'fix_started', 'step_reached', 'resolved']);

    // The CSV is the same figures on both.
    const csv = await Promise.all(admins.map((admin) => fetch(`${admin.url}/admin/api/figures.csv?${PERIOD}`, { headers: { cookie: `agent_session=${admin.cookie}` } }).then((r) => r.text())));
    expect(csv[1]).toBe(csv[0]);
    expect(csv[0]).toContain('outcome,,,android,1,');
  });

  test('"delete my data" said to B removes what A recorded: the inbox message and the rating\'s comment', async () => {
    const c = conversation();
    expect((await c.say(0, "it's the thing")).text).toContain(text.fallback);
    await c.say(1, 'whatsapp says not enough icloud storage for the backup');
    expect((await c.say(0, 'oh wait, it works now!')).text).toContain(text.csat_ask);
    expect((await c.say(0, '2')).text).toContain(text.csat_comment_ask);
    expect((await c.say(0, 'call me on 07700 900123')).text).toContain(text.csat_thanks);
    expect((await inboxOn(1)).filter((i) => i.conversation === key(c)).map((i) => i.text)).toEqual(["it's the thing"]);
    expect((await store.csatIn({ since: day(-1), until: day(2) })).find((r) => r.conversation === key(c))).toMatchObject({ score: 2, comment: 'call me on [phone]' });

    expect((await c.say(1, 'delete my data')).text).toBe(text.data_deleted);
    expect((await inboxOn(0)).some((i) => i.conversation === key(c))).toBe(false);
    expect((await store.csatIn({ since: day(-1), until: day(2) })).find((r) => r.conversation === key(c))).toMatchObject({ score: 2, comment: null });
    // The events stay (they carry no text): the figures still count the conversation.
    expect((await store.events(key(c))).map((e) => e.kind)).toContain('resolved');
  });
});
