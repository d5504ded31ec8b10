/**
 * The whole hand-off over real HTTP, as a Web Chat user lives it: the
 * official Direct Line client on the built-in service's WebSocket asks for a
 * person; an agent signs in through the console's API, reads the summary,
 * accepts; messages and typing go both ways; the agent ends; the bot is back
 * and asks whether the problem is solved.
 */
import type { Activity } from 'botframework-directlinejs';
import { hashPassword } from '../../src/handoff/agent-accounts';
import type { HandoffDetail, HandoffView } from '../../src/handoff/types';
import { fill } from '../../src/dialogs/text';
import { pageToken, startApp } from '../directline/harness';
import type { Running } from '../directline/harness';
import { endClients, fromBot, say, send, textOf, welcomed } from '../directline/web-chat-client';
import { messagesText } from '../integration/harness';
import { AgentClient, eventually } from './agent-client';

const text = messagesText();
const PASSWORD = 'correct horse battery staple';

describe('a Web Chat user handed to a person', () => {
  let app: Running;
  let agent: AgentClient;

  beforeAll(async () => {
    app = await startApp({ AGENT_ACCOUNTS: `Alex:agent:${hashPassword(PASSWORD)}` });
    agent = new AgentClient(app.url);
  });
  afterAll(async () => {
    agent.close();
    endClients();
    await app.close();
  });

  test('asks, is queued, chats with the agent both ways, and is asked by the bot whether it is solved', async () => {
    const user = await welcomed(await pageToken(app.url));
    const said = (pattern: RegExp | string) =>
      eventually(`the bot to say ${String(pattern)}`, () => fromBot(user).find((a) => (typeof pattern === 'string' ? textOf(a)?.includes(pattern) : pattern.test(textOf(a) ?? ''))));

    // Some troubleshooting first, so the summary has something to show.
    await say(user, "whatsapp won't back up");
    await say(user, 'done');
    // Asked, then declined with a typed "nah": the step is asked again.
    expect(textOf(await say(user, 'talk to a person'))).toBe(text.handoff_confirm);
    expect(textOf(await say(user, 'nah'))?.startsWith(`${text.handoff_declined}\n\n`)).toBe(true);
    await say(user, 'iPhone 12, 3 GB free');
    const confirm = await say(user, 'talk to a person');
    expect(textOf(confirm)).toBe(text.handoff_confirm);
    expect(textOf(await say(user, 'yes please'))).toBe(text.handoff_requested);
    await said(fill(text.handoff_queued, { position: 1, wait: fill(text.handoff_wait_minutes, { minutes: 3 }) }));

    // The agent signs in and sees the request with its summary.
    expect((await agent.signIn('Alex', PASSWORD)).status).toBe(200);
    const stream = await agent.events();
    expect(stream.status).toBe(200);
    const queue = await agent.call('GET', '/agent/api/queue');
    const waiting = queue.body.waiting as HandoffView[];
    expect(waiting).toHaveLength(1);
    const request = waiting[0]!;
    expect(request).toMatchObject({ state: 'waiting', position: 1, channel: 'directline' });
    expect(request.summary.firstMessage).toBe("whatsapp won't back up");
    expect(request.summary.fixesTried[0]!.steps[0]).toMatchObject({ answer: text.choice_done });
    expect(request.summary.sizes.join(' ')).toMatch(/3 GB/);
    expect(request.summary.devices.join(' ')).toMatch(/iPhone 12/i);
    expect(request.summary.lastUserMessages).toContain('yes please');
    const detail = (await agent.call('GET', `/agent/api/handoffs/${request.id}`)).body as unknown as HandoffDetail;
    expect(detail.transcript.map((l) => `${l.from}: ${l.text}`)).toEqual(expect.arrayContaining(['user: talk to a person', `bot: ${text.handoff_confirm}`]));

    // Accepting: the user is told who joined.
    const accepted = await agent.call('POST', `/agent/api/handoffs/${request.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'active', agent: { id: 'console:Alex', name: 'Alex' } });
    await said(fill(text.handoff_joined, { agent: 'Alex' }));

    // The user writes: it reaches the agent, and the bot says nothing.
    const before = fromBot(user).length;
    await send(user, 'accept');
    await eventually('the user line on the stream', () => stream.events.find((e) => e.type === 'message' && e.line.from === 'user' && e.line.text === 'accept'));
    user.client.postActivity({ type: 'typing', from: { id: user.issued.userId } } as Activity).subscribe();
    await eventually('the user typing on the stream', () => stream.events.find((e) => e.type === 'typing' && e.from === 'user'));

    // The agent types and writes back.
    expect((await agent.call('POST', `/agent/api/handoffs/${request.id}/typing`)).status).toBe(204);
    await eventually('typing shown to the user', () => user.seen.find((a) => a.type === 'typing' && a.from.role !== 'user'));
    expect((await agent.call('POST', `/agent/api/handoffs/${request.id}/messages`, { text: 'Hi, I am Alex. Which iOS version?' })).status).toBe(204);
    await said('Hi, I am Alex. Which iOS version?');
    const botSince = fromBot(user).slice(before).map(textOf);
    expect(botSince).toEqual(['Hi, I am Alex. Which iOS version?']);

    // The agent ends: the bot is back and asks; a typed answer is recorded.
    expect((await agent.call('POST', `/agent/api/handoffs/${request.id}/end`)).status).toBe(204);
    await said(fill(text.handoff_ended, { agent: 'Alex' }));
    await said(text.handoff_ask_solved);
    expect(textOf(await say(user, 'yes it works now'))?.startsWith(`${text.handoff_solved_yes}\n\n`)).toBe(true); // the rating question follows in the same message
    const done = (await agent.call('GET', `/agent/api/handoffs/${request.id}`)).body as unknown as HandoffDetail;
    expect(done).toMatchObject({ state: 'ended', outcome: 'solved' });
    // Then the one optional rating, recorded as given after a hand-off.
    await said(text.csat_ask);
    expect(textOf(await say(user, '5'))).toBe(text.csat_comment_ask);
    expect(textOf(await say(user, 'no thanks'))).toBe(text.csat_thanks);
    const ratings = await app.app.insights.csatIn({ since: '2000-01-01', until: '2100-01-01' });
    expect(ratings).toEqual([expect.objectContaining({ score: 5, after: 'handoff', comment: null })]);
    expect(done.transcript.filter((l) => l.from === 'agent').map((l) => [l.agentName, l.text])).toEqual([['Alex', 'Hi, I am Alex. Which iOS version?']]);
    expect(stream.names).toEqual(expect.arrayContaining(['queue', 'state', 'message', 'typing']));
  }, 60_000);
});
