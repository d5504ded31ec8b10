import Redis from 'ioredis';
import { LoopbackChannel } from '../../src/channels/loopback';
import type { HandoffFeedEvent } from '../../src/handoff/types';
import { AgentClient, eventually } from '../handoff/agent-client';
import { ALEX, PASSWORD, SAM, askForPerson, said, texts } from '../handoff/support';
import { Conversation, messagesText } from '../integration/harness';
import { ChatwootStandIn } from '../handoff/desks/chatwoot-stand-in';
import type { StandInConversation } from '../handoff/desks/chatwoot-stand-in';
import { useBotCluster } from '../support/bot-cluster';
import { closeClients } from '../support/redis-server';
import { fill } from '../../src/dialogs/text';

/**
 * Two real bot processes on one Redis (REDIS_URL): the user's conversation
 * goes to instance A, the agents work the console of instance B (and A), and
 * the hand-off works across them.
 */
const cluster = useBotCluster('handoff-instances', { instances: 2, env: { AGENT_ACCOUNTS: `${ALEX},${SAM}` } });

// (Each channel closes in an inner block's afterAll, while the instances still run: the outer block's afterAll stops them.)
describe('hand-off across two instances on Redis', () => {
  let channel: LoopbackChannel;
  const agents: AgentClient[] = [];
  const redisClients: Redis[] = [];
  const agent = (i: number): AgentClient => {
    const client = new AgentClient(cluster().instances[i]!.url);
    agents.push(client);
    return client;
  };
  beforeAll(async () => {
    // The user's conversation goes to instance A; replies, proactive ones included, come to this channel's connector.
    channel = await LoopbackChannel.start({ botEndpoint: cluster().instances[0]!.messages });
  });
  afterAll(async () => {
    for (const a of agents) a.close();
    await channel?.close();
    await closeClients(redisClients);
  });

  const count = (c: Conversation, part: string) => texts(c).filter((t) => t.includes(part)).length;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
  const dump = () => cluster().instances.map((b, i) => `--- instance ${i}\n${b.log().split('\n').slice(-30).join('\n')}`).join('\n');

  test('sessions and sign-in throttling span both; an agent on B sees, accepts and talks to a user on A; two agents accepting at once on A and B: one wins; the end on B asks the closing question', async () => {
    const alexOnB = agent(1);
    expect((await alexOnB.signIn('Alex', PASSWORD)).status).toBe(200);
    // A session made on B is known on A (the same cookie), and the CSRF rule holds there too.
    const alexOnA = agent(0);
    alexOnA.cookie = alexOnB.cookie;
    expect((await alexOnA.call('GET', '/agent/api/me')).body).toMatchObject({ agent: { id: 'console:Alex', name: 'Alex' } });
    expect((await alexOnA.call('POST', '/agent/api/handoffs/x/accept', {}, { csrf: false })).status).toBe(403);
    const samOnA = agent(0);
    expect((await samOnA.signIn('Sam', PASSWORD)).status).toBe(200);
    // Failed sign-ins count on every instance: five spread over A and B, and the sixth is refused on either.
    const guesser = [agent(0), agent(1)];
    for (let i = 0; i < 5; i++) expect((await guesser[i % 2]!.signIn('Sam', `guess ${i}`)).status).toBe(401);
    const refused = await guesser[1]!.signIn('Sam', PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const streamB = await alexOnB.events();
    expect(streamB.status).toBe(200);

    // The user on A asks for a person: told their place once (not once per instance).
    const ann = new Conversation(channel);
    await askForPerson(ann);
    await said(ann, "You're number 1 in line");

    // The agent's stream on B hears A's queue change (pub/sub), and B's queue lists the request.
    const queued = await eventually('the request in the queue event on B', () =>
      streamB.events.find((e): e is Extract<HandoffFeedEvent, { type: 'queue' }> => e.type === 'queue' && e.waiting.some((v) => v.conversationId === ann.id)),
    );
    const handoffId = queued.waiting.find((v) => v.conversationId === ann.id)!.id;
    const queue = await alexOnB.call('GET', '/agent/api/queue');
    expect((queue.body.waiting as Array<{ id: string; position: number }>).map((v) => [v.id, v.position])).toEqual([[handoffId, 1]]);
    expect((await alexOnB.call('GET', `/agent/api/handoffs/${handoffId}`)).body).toMatchObject({ id: handoffId, state: 'waiting', userName: 'User', summary: { firstMessage: 'talk to a person' } });
    // The transcript store is shared too: the agent on B reads what the user said to A.
    const detail = (await alexOnB.call('GET', `/agent/api/handoffs/${handoffId}`)).body as { transcript: Array<{ from: string; text?: string }> };
    expect(detail.transcript).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'user', text: 'talk to a person' })]));

    // Accepted on B: the user on A hears who joined; the agent's line reaches the user; the user's line reaches B's stream.
    expect((await alexOnB.call('POST', `/agent/api/handoffs/${handoffId}/accept`)).status).toBe(200);
    await said(ann, 'Alex from support has joined.');
    expect((await alexOnB.call('POST', `/agent/api/handoffs/${handoffId}/messages`, { text: 'Hi, I am Alex. Which iPhone is it?' })).status).toBe(204);
    await said(ann, 'Hi, I am Alex. Which iPhone is it?');
    const fromAgent = channel.received(ann.id).find((a) => a.text === 'Hi, I am Alex. Which iPhone is it?');
    expect(fromAgent?.channelData).toMatchObject({ handoff: { agentName: 'Alex' } });
    await ann.say('An iPhone 12, backup stuck at 40%');
    await eventually(`the user's line on B's stream\n${dump()}`, () =>
      streamB.events.find((e) => e.type === 'message' && e.handoffId === handoffId && e.line.from === 'user' && e.line.text === 'An iPhone 12, backup stuck at 40%'),
    );
    // Sam (on A) does not hold it: no reading, writing or ending of Alex's conversation from A either.
    expect((await samOnA.call('GET', `/agent/api/handoffs/${handoffId}`)).status).toBe(403);
    expect((await samOnA.call('POST', `/agent/api/handoffs/${handoffId}/end`)).status).toBe(403);

    // A second user; Sam on A and Alex on B accept at the same moment: exactly one wins.
    const ben = new Conversation(channel);
    await askForPerson(ben);
    await said(ben, "You're number 1 in line");
    const benId = ((await samOnA.call('GET', '/agent/api/queue')).body.waiting as Array<{ id: string; conversationId: string }>).find((v) => v.conversationId === ben.id)!.id;
    const race = await Promise.all([samOnA.call('POST', `/agent/api/handoffs/${benId}/accept`), alexOnB.call('POST', `/agent/api/handoffs/${benId}/accept`)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race[0]!.status === 200 ? 'Sam' : 'Alex';
    await said(ben, `${winner} from support has joined.`);

    // Alex ends Ann's chat on B: the user on A is back with the bot, which asks whether it is solved.
    expect((await alexOnB.call('POST', `/agent/api/handoffs/${handoffId}/end`)).status).toBe(204);
    await said(ann, 'Alex has left the chat');
    await said(ann, 'Is your problem solved now?');
    await eventually('the ended state on B', () => streamB.events.find((e) => e.type === 'state' && e.handoff.id === handoffId && e.handoff.state === 'ended'));

    // Everything happened once, whichever instance did it; the records and audit are in Redis.
    await settle();
    expect(count(ann, "You're number 1 in line")).toBe(1);
    expect(count(ann, 'Alex from support has joined.')).toBe(1);
    expect(count(ann, 'Is your problem solved now?')).toBe(1);
    expect(count(ben, "You're number 1 in line")).toBe(1);
    expect(count(ben, 'from support has joined.')).toBe(1);
    const redis = new Redis(cluster().redis.url);
    redisClients.push(redis);
    const audit = (await redis.lrange(`wabot:handoff:audit:${handoffId}`, 0, -1)).map((e) => JSON.parse(e) as { event: string; actor: string });
    expect(audit.map((e) => [e.event, e.actor])).toEqual([
      ['requested', 'user'],
      ['accepted', 'console:Alex'],
      ['ended', 'console:Alex'],
    ]);
    expect(await redis.hget(`wabot:handoff:h:${benId}`, 'agentName')).toBe(winner);
  }, 120_000);
});

describe('the Chatwoot desk across two instances on Redis', () => {
  const TOKEN = 'agent-access-token';
  const SECRET = 'inbox-webhook-secret';
  const DANA = { id: 5, name: 'Dana' };
  const text = messagesText();
  // Filled in once the Chatwoot stand-in listens, before the instances start (their beforeAll runs after this one).
  const env: Record<string, string> = { HANDOFF_DESK: 'chatwoot', CHATWOOT_ACCOUNT_ID: '1', CHATWOOT_INBOX_ID: '7', CHATWOOT_API_TOKEN: TOKEN, CHATWOOT_WEBHOOK_SECRET: SECRET, CHATWOOT_RETRY_SECONDS: '1' };
  let chatwoot: ChatwootStandIn;
  beforeAll(async () => {
    chatwoot = await ChatwootStandIn.start({ accountId: 1, inboxId: 7, apiToken: TOKEN });
    env.CHATWOOT_URL = chatwoot.url;
  });
  const chatwootCluster = useBotCluster('handoff-chatwoot-instances', { instances: 2, env });
  afterAll(async () => {
    await chatwoot?.close();
  });

  describe('with the user on A', () => {
    let channel: LoopbackChannel;
    beforeAll(async () => {
      channel = await LoopbackChannel.start({ botEndpoint: chatwootCluster().instances[0]!.messages });
    });
    afterAll(async () => {
      await channel?.close();
    });
    const incoming = (c: StandInConversation) => c.messages.filter((m) => m.messageType === 'incoming' && !m.private).map((m) => m.content);

    test('a hand-off opened on A is answered through B\'s webhook, each line reaches the other side once, and B resolves it', async () => {
      const [a, b] = chatwootCluster().instances;
      const user = new Conversation(channel);
      await askForPerson(user);
      await said(user, "You're number 1 in line");
      const conversation = await eventually('the Chatwoot conversation made by A', () => chatwoot.conversationFor(user.id));

      // Chatwoot calls instance B: it knows A's conversation (the links are in Redis) and the reply reaches the user.
      chatwoot.setWebhook(`${b!.url}/api/handoff/chatwoot`, SECRET);
      expect(await chatwoot.agentReply(conversation, DANA, 'Hi, Dana here. What does the backup say?')).toBe(204);
      await said(user, fill(text.handoff_joined!, { agent: 'Dana' }));
      await said(user, 'Hi, Dana here. What does the backup say?');
      // The same delivery retried to A is not relayed again.
      const reply = conversation.messages.at(-1)!;
      chatwoot.setWebhook(`${a!.url}/api/handoff/chatwoot`, SECRET);
      expect(await chatwoot.sendWebhook({ event: 'message_created', id: reply.id, content: reply.content, message_type: 'outgoing', private: false, sender: { id: 5, name: 'Dana', type: 'user' }, conversation: { id: conversation.id } })).toBe(204);

      // The user's line on A reaches Chatwoot once, though both instances retry the outbox every second.
      await user.say('It is stuck at 40%');
      await eventually('the user line in Chatwoot', () => incoming(conversation).includes('It is stuck at 40%'));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(incoming(conversation).filter((t) => t === 'It is stuck at 40%')).toHaveLength(1);
      expect(texts(user).filter((t) => t === 'Hi, Dana here. What does the backup say?')).toHaveLength(1);

      // Resolved, told to B: the user on A is back with the bot, which asks whether it is solved.
      chatwoot.setWebhook(`${b!.url}/api/handoff/chatwoot`, SECRET);
      expect(await chatwoot.resolve(conversation)).toBe(204);
      await said(user, fill(text.handoff_ended!, { agent: 'Dana' }));
      await said(user, text.handoff_ask_solved!);
    }, 120_000);
  });
});
