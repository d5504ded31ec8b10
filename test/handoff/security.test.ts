/**
 * Who may do what with hand-offs, over real HTTP: only signed-in agents list,
 * read or join conversations; another agent's conversation and forged
 * sessions are refused; cross-site writes are refused; nothing a user sends
 * reaches agent functions.
 */
import { randomBytes } from 'node:crypto';
import type { HandoffView } from '../../src/handoff/types';
import { Conversation, messagesText, startBot } from '../integration/harness';
import type { RunningBot } from '../integration/harness';
import { AgentClient, eventually } from './agent-client';
import { ALEX, PASSWORD, askForPerson, said, texts } from './support';
import { hashPassword } from '../../src/handoff/agent-accounts';

const text = messagesText();
const BO = `Bo:agent:${hashPassword(PASSWORD)}`;

describe('the agent API', () => {
  let bot: RunningBot;
  let alex: AgentClient;
  let bo: AgentClient;
  let held: HandoffView;
  let user: Conversation;

  beforeAll(async () => {
    bot = await startBot({ env: { AGENT_ACCOUNTS: `${ALEX},${BO}` } });
    alex = new AgentClient(bot.url);
    bo = new AgentClient(bot.url);
    expect((await alex.signIn('Alex', PASSWORD)).status).toBe(200);
    expect((await bo.signIn('Bo', PASSWORD)).status).toBe(200);
    user = new Conversation(bot.channel);
    await askForPerson(user);
    [held] = (await alex.call('GET', '/agent/api/queue')).body.waiting as HandoffView[];
    expect((await alex.call('POST', `/agent/api/handoffs/${held!.id}/accept`)).status).toBe(200);
    await said(user, 'Alex from support has joined');
  });
  afterAll(async () => {
    alex.close();
    bo.close();
    await bot.close();
  });

  test('the console page and its assets come with a strict CSP; nothing outside its folder is served', async () => {
    const page = await fetch(`${bot.url}/agent`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    for (const path of ['/agent/assets/..%2F..%2F..%2Fpackage.json', '/agent/assets/.env', '/agent/assets/index.ts', '/agent/assets/missing.js']) {
      expect([path, (await fetch(`${bot.url}${path}`)).status]).toEqual([path, 404]);
    }
  });

  test("sets the session cookie HttpOnly, SameSite=Strict, on / (the console and the insights share it), and expires the old /agent one", async () => {
    const answer = await new AgentClient(bot.url).signIn('Alex', PASSWORD);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^agent_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/^agent_session=[^;]+; Path=\/;/);
    expect(cookie).toMatch(/, agent_session=; Path=\/agent; HttpOnly; SameSite=Strict; Max-Age=0$/);
  });

  test.each([
    ['GET', '/agent/api/queue'],
    ['GET', '/agent/api/me'],
    ['GET', '/agent/api/events'],
    ['GET', '/agent/api/handoffs/:id'],
    ['POST', '/agent/api/handoffs/:id/accept'],
    ['POST', '/agent/api/handoffs/:id/messages'],
    ['POST', '/agent/api/handoffs/:id/end'],
    ['POST', '/agent/api/handoffs/:id/notes'],
  ])('%s %s without a session is 401, with a forged one 403', async (method, path) => {
    const url = path.replace(':id', held.id);
    const body = method === 'POST' ? { text: 'x' } : undefined;
    const nobody = await new AgentClient(bot.url).call(method, url, body);
    expect(nobody.status).toBe(401);
    expect(nobody.body).toMatchObject({ error: { code: 'AGENT_UNAUTHENTICATED' } });
    const forger = new AgentClient(bot.url);
    forger.cookie = randomBytes(32).toString('base64url');
    const forged = await forger.call(method, url, body);
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ error: { code: 'AGENT_FORBIDDEN' } });
  });

  test("another agent's conversation is 403 to read, write, type in, end or annotate, and its messages are not streamed to them", async () => {
    const stream = await bo.events();
    for (const [method, path, body] of [
      ['GET', `/agent/api/handoffs/${held.id}`, undefined],
      ['POST', `/agent/api/handoffs/${held.id}/messages`, { text: 'hijack' }],
      ['POST', `/agent/api/handoffs/${held.id}/typing`, undefined],
      ['POST', `/agent/api/handoffs/${held.id}/end`, undefined],
      ['POST', `/agent/api/handoffs/${held.id}/notes`, { text: 'mine now' }],
    ] as const) {
      const answer = await bo.call(method, path, body);
      expect([path, answer.status, answer.body]).toEqual([path, 403, { error: expect.objectContaining({ code: 'AGENT_FORBIDDEN' }) }]);
    }
    expect(texts(user)).not.toContain('hijack');
    await user.say('my secret backup question');
    const alexStream = await alex.events();
    await user.say('and another one');
    await eventually('the line on the holder stream', () => alexStream.events.find((e) => e.type === 'message'));
    expect(stream.events.filter((e) => e.type === 'message' || e.type === 'typing')).toEqual([]);
  });

  test('writes need the console header and, when an Origin is sent, this server as the origin', async () => {
    const noHeader = await alex.call('POST', `/agent/api/handoffs/${held.id}/notes`, { text: 'note' }, { csrf: false });
    expect(noHeader).toMatchObject({ status: 403, body: { error: { code: 'CSRF_REJECTED' } } });
    const otherSite = await alex.call('POST', `/agent/api/handoffs/${held.id}/notes`, { text: 'note' }, { headers: { origin: 'https://evil.example' } });
    expect(otherSite).toMatchObject({ status: 403, body: { error: { code: 'CSRF_REJECTED' } } });
    const signIn = await new AgentClient(bot.url).call('POST', '/agent/api/session', { name: 'Alex', password: PASSWORD }, { csrf: false });
    expect(signIn.status).toBe(403);
    const own = await alex.call('POST', `/agent/api/handoffs/${held.id}/notes`, { text: 'Asked for the model.' }, { headers: { origin: bot.url } });
    expect(own.status).toBe(204);
    expect(texts(user).join('\n')).not.toContain('Asked for the model.');
  });

  test('wrong passwords are refused, then throttled', async () => {
    const guesser = new AgentClient(bot.url);
    for (let i = 0; i < 5; i++) expect((await guesser.signIn('Bo', `guess ${i}`)).body).toMatchObject({ error: { code: 'AGENT_LOGIN_FAILED' } });
    const throttled = await guesser.signIn('Bo', PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ error: { code: 'AGENT_LOGIN_THROTTLED' } });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('signing out ends the session', async () => {
    const signedIn = new AgentClient(bot.url);
    // Bo is throttled from this address by the test above; Alex is not.
    expect((await signedIn.signIn('Alex', PASSWORD)).status).toBe(200);
    expect((await signedIn.call('DELETE', '/agent/api/session')).status).toBe(204);
    expect((await signedIn.call('GET', '/agent/api/queue')).status).toBe(403);
  });
});

describe('what users send', () => {
  let bot: RunningBot;
  let alex: AgentClient;
  beforeAll(async () => {
    bot = await startBot({ env: { AGENT_ACCOUNTS: ALEX } });
    alex = new AgentClient(bot.url);
    await alex.signIn('Alex', PASSWORD);
  });
  afterAll(async () => {
    alex.close();
    await bot.close();
  });

  test('agent commands typed by a user are ordinary messages: no request is taken, the bot answers as it would', async () => {
    const someone = new Conversation(bot.channel);
    await askForPerson(someone);
    const user = new Conversation(bot.channel);
    await user.join();
    for (const command of ['accept', '/end', 'queue', 'accept 1']) {
      const turn = await user.say(command);
      expect(turn.status).toBe(200);
      expect(turn.text).not.toMatch(/in line|has joined|chatting with/i);
    }
    const waiting = (await alex.call('GET', '/agent/api/queue')).body.waiting as HandoffView[];
    expect(waiting.map((w) => w.state)).toEqual(['waiting']);
  });

  test('a handoff.status event sent by a channel is ignored: a user cannot accept or end a hand-off', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    const request = ((await alex.call('GET', '/agent/api/queue')).body.waiting as HandoffView[]).find((w) => w.conversationId === user.id);
    for (const value of [
      { state: 'accepted', handoffId: request!.id, agentName: 'Mallory' },
      { state: 'failed', handoffId: request!.id, reason: 'timeout' },
      { state: 'completed', handoffId: request!.id },
    ]) {
      const res = await bot.channel.send({ type: 'event', name: 'handoff.status', value, conversation: { id: user.id } } as never);
      expect(res.status).toBe(200);
    }
    expect(texts(user).join('\n')).not.toMatch(/Mallory|has left|could take your chat/);
    const detail = (await alex.call('GET', `/agent/api/handoffs/${request!.id}`)).body as unknown as HandoffView;
    expect(detail.state).toBe('waiting');
    // While an agent holds it, "/end" typed by the user goes to the agent and ends nothing.
    await alex.call('POST', `/agent/api/handoffs/${request!.id}/accept`);
    await user.say('/end');
    expect(((await alex.call('GET', `/agent/api/handoffs/${request!.id}`)).body as unknown as HandoffView).state).toBe('active');
    expect(texts(user)).not.toContain(text.handoff_ask_solved);
  });
});
