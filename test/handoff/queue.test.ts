/**
 * The queue over real HTTP (the bot's own /api/messages, a loopback channel,
 * the agent API): positions as people come and go, a user leaving, nobody
 * accepting in time, and a request outside support hours.
 */
import { fill } from '../../src/dialogs/text';
import type { HandoffDetail, HandoffView } from '../../src/handoff/types';
import { Conversation, messagesText, readContent, startBot } from '../integration/harness';
import type { RunningBot } from '../integration/harness';
import { AgentClient } from './agent-client';
import { ALEX, PASSWORD, askForPerson, auditLog, lastButtons, said, texts } from './support';

const text = messagesText();
const links = readContent<{ links: Array<{ url: string }> }>('escalation.yaml').links.map((l) => l.url);
const queued = (position: number) => fill(text.handoff_queued!, { position, wait: '' }).split(', usual wait')[0]!;

describe('three users waiting', () => {
  let bot: RunningBot;
  let agent: AgentClient;
  beforeAll(async () => {
    bot = await startBot({ env: { AGENT_ACCOUNTS: ALEX } });
    agent = new AgentClient(bot.url);
    await agent.signIn('Alex', PASSWORD);
  });
  afterAll(async () => {
    agent.close();
    await bot.close();
  });

  test('are told their place, which moves up as one leaves and one is accepted; a waiting message reaches the agent', async () => {
    const [ann, ben, cat] = [new Conversation(bot.channel), new Conversation(bot.channel), new Conversation(bot.channel)];
    await askForPerson(ann);
    await said(ann, queued(1));
    await askForPerson(ben, 'yes');
    await said(ben, queued(2));
    await askForPerson(cat, 'Yes, connect me');
    await said(cat, queued(3));
    expect(lastButtons(cat)).toEqual([text.handoff_leave]);

    // Ben writes while waiting: kept for the agent, and he is told he is still in line.
    const hello = await ben.say('nah, is anyone there? my backup is stuck at 40%');
    expect(hello.activities.at(-1)!.text).toBe(fill(text.handoff_still_waiting!, { position: 2 }));
    const waiting = (await agent.call('GET', '/agent/api/queue')).body.waiting as HandoffView[];
    expect(waiting.map((w) => w.position)).toEqual([1, 2, 3]);
    const bens = (await agent.call('GET', `/agent/api/handoffs/${waiting[1]!.id}`)).body as unknown as HandoffDetail;
    expect(bens.transcript.some((l) => l.from === 'user' && l.text === 'nah, is anyone there? my backup is stuck at 40%')).toBe(true);

    // Ben leaves (typed); Cat moves up to 2 and Ben is back with the bot.
    const left = await ben.say('leave the queue');
    expect(left.text).toContain(text.handoff_left);
    await said(cat, queued(2));
    expect((await ben.say('hello')).text).toContain(text.greeting);

    // Alex takes Ann; Cat is next.
    expect((await agent.call('POST', `/agent/api/handoffs/${waiting[0]!.id}/accept`)).status).toBe(200);
    await said(ann, fill(text.handoff_joined!, { agent: 'Alex' }));
    await said(cat, queued(1));
    // Taking Ann again is a conflict.
    expect((await agent.call('POST', `/agent/api/handoffs/${waiting[0]!.id}/accept`)).body).toMatchObject({ error: { code: 'HANDOFF_CONFLICT' } });
    expect((await agent.call('POST', `/agent/api/handoffs/${waiting[1]!.id}/accept`)).status).toBe(409);

    const events = auditLog(bot.dataDir).map((e) => `${e.handoff_id === waiting[0]!.id ? 'ann' : e.handoff_id === waiting[1]!.id ? 'ben' : 'cat'} ${e.event} ${e.actor}`);
    expect(events).toEqual(expect.arrayContaining(['ann requested user', 'ben requested user', 'cat requested user', 'ben left user', 'ann accepted console:Alex']));
  }, 30_000);
});

describe('nobody accepts in time', () => {
  let bot: RunningBot;
  let agent: AgentClient;
  beforeAll(async () => {
    bot = await startBot({ env: { AGENT_ACCOUNTS: ALEX, HANDOFF_TIMEOUT_SECONDS: '1' } });
    agent = new AgentClient(bot.url);
    await agent.signIn('Alex', PASSWORD);
  });
  afterAll(async () => {
    agent.close();
    await bot.close();
  });

  test('the user is told plainly, gets the support links, and may leave a message the agents see with the transcript', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued(1));
    const told = await said(user, text.handoff_timeout!);
    for (const url of links) expect(told).toContain(url);
    await said(user, text.handoff_leave_message!);
    expect(lastButtons(user)).toEqual([text.handoff_no_message]);

    // Anything typed now is the message, word for word (even what reads like a request).
    expect((await user.say('talk to a person: please email me at ann@example.com')).activities.at(-1)!.text).toBe(text.handoff_message_saved);
    const left = (await agent.call('GET', '/agent/api/queue')).body.left as HandoffView[];
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ state: 'timed_out', leftMessage: 'talk to a person: please email me at ann@example.com' });
    const detail = (await agent.call('GET', `/agent/api/handoffs/${left[0]!.id}`)).body as unknown as HandoffDetail;
    // The stored transcript is redacted (the left message itself is kept word for word, for the agents to reply).
    expect(detail.transcript.filter((l) => l.from === 'user').map((l) => l.text)).toEqual(['talk to a person', 'yes please', 'talk to a person: please email me at [email]']);
    // The bot is itself again.
    expect((await user.say('hello')).text).toContain(text.greeting);

    // Another user declines to leave a message.
    const other = new Conversation(bot.channel);
    await askForPerson(other);
    await said(other, text.handoff_leave_message!);
    expect((await other.say('no thanks')).activities.at(-1)!.text).toBe(text.handoff_no_message_ok);
    expect(auditLog(bot.dataDir).filter((e) => e.event === 'timed_out')).toHaveLength(2);
  }, 30_000);
});

describe('outside support hours', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    // A one-hour window twelve hours from now, every day: closed now, whenever the test runs.
    const hour = (new Date().getUTCHours() + 12) % 24;
    const hh = (h: number) => String(h).padStart(2, '0');
    bot = await startBot({ env: { AGENT_ACCOUNTS: ALEX, SUPPORT_HOURS: `Mon-Sun ${hh(hour)}:00-${hh(hour)}:59 UTC` } });
  });
  afterAll(() => bot.close());

  test('the user is told when support is open, with the links, and offered to leave a message', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    const told = await said(user, 'their hours are Mon-Sun');
    for (const url of links) expect(told).toContain(url);
    await said(user, text.handoff_leave_message!);
    expect(texts(user).some((t) => t.includes('in line'))).toBe(false);
  });
});

describe('with no agent accounts and a public address', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ env: { HOST: '0.0.0.0' } });
  });
  afterAll(() => bot.close());

  test('nobody could accept, so the user is told at once; sign-in says no accounts are configured', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, text.handoff_no_agents!);
    const agent = new AgentClient(bot.url);
    const me = await agent.call('GET', '/agent/api/me');
    expect(me).toMatchObject({ status: 401, body: { accountsConfigured: false } });
    const signIn = await agent.signIn('agent', 'anything at all');
    expect(signIn.status).toBe(401);
    expect(String((signIn.body.error as { message: string }).message)).toMatch(/No agent accounts are configured/);
  });
});
