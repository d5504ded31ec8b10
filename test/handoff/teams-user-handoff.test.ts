/**
 * A Teams user handed to a person: Teams-shaped activities through the bot's
 * own /api/messages and a fake Teams connector; the agent works from the
 * console's API. The handoff.initiate event never reaches Teams (which would
 * answer it 400); everything the user sees arrives as Teams messages.
 */
import type { HandoffDetail, HandoffView } from '../../src/handoff/types';
import { fill } from '../../src/dialogs/text';
import { startTeamsBot, TeamsConversation, TEXT, eventually as teamsEventually } from '../teams/teams-harness';
import type { TeamsBot } from '../teams/teams-harness';
import { AgentClient, eventually } from './agent-client';
import { ALEX, PASSWORD } from './support';

describe('a Teams user handed to a person', () => {
  let bot: TeamsBot;
  let agent: AgentClient;
  beforeAll(async () => {
    bot = await startTeamsBot({ AGENT_ACCOUNTS: ALEX });
    agent = new AgentClient(bot.url);
    await agent.signIn('Alex', PASSWORD);
  });
  afterAll(async () => {
    agent.close();
    await bot.close();
  });
  afterEach(() => expect(bot.errors).toEqual([]));

  test('confirms with the card button, waits, chats with the agent both ways, and answers whether it is solved', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    await chat.install();
    const all = () => bot.channel.received(chat.id);
    const saidText = (part: string) =>
      teamsEventually(() => all().some((a) => JSON.stringify([a.text, a.attachments]).includes(JSON.stringify(part).slice(1, -1))), 10_000);

    const ask = await chat.say('I want to talk to a person');
    expect(ask.text).toContain(TEXT.handoff_confirm);
    const yes = ask.buttons.find((b) => b.title === TEXT.handoff_yes)!;
    expect(yes).toBeDefined();
    const confirmed = await chat.press(yes, ask.messages.at(-1)?.id);
    expect(confirmed.text).toContain(TEXT.handoff_requested);
    await saidText('number 1 in line');

    const [request] = (await agent.call('GET', '/agent/api/queue')).body.waiting as HandoffView[];
    expect(request).toMatchObject({ channel: 'msteams', userName: 'Ada Lovelace' });
    const stream = await agent.events();
    expect((await agent.call('POST', `/agent/api/handoffs/${request!.id}/accept`)).status).toBe(200);
    await saidText(fill(TEXT.handoff_joined!, { agent: 'Alex' }));

    // Both ways, with typing.
    await chat.post({ type: 'typing' });
    await eventually('user typing', () => stream.events.find((e) => e.type === 'typing' && e.from === 'user'));
    const quiet = await chat.say('It is an iPhone 13 on iOS 17');
    // No answer from the bot, and no "typing…" from it either: only the agent types now.
    expect(quiet.activities).toEqual([]);
    const typingBefore = all().filter((a) => a.type === 'typing').length;
    await eventually('the line', () => stream.events.find((e) => e.type === 'message' && e.line.text === 'It is an iPhone 13 on iOS 17'));
    expect((await agent.call('POST', `/agent/api/handoffs/${request!.id}/typing`)).status).toBe(204);
    await teamsEventually(() => all().filter((a) => a.type === 'typing').length === typingBefore + 1);
    expect((await agent.call('POST', `/agent/api/handoffs/${request!.id}/messages`, { text: 'Thanks Ada, try signing out of iCloud and back in.' })).status).toBe(204);
    await saidText('Thanks Ada, try signing out of iCloud and back in.');

    expect((await agent.call('POST', `/agent/api/handoffs/${request!.id}/end`)).status).toBe(204);
    await saidText(TEXT.handoff_ask_solved!);
    const answer = await chat.say('no, still failing');
    expect(answer.text).toContain(TEXT.handoff_solved_no);
    const detail = (await agent.call('GET', `/agent/api/handoffs/${request!.id}`)).body as unknown as HandoffDetail;
    expect(detail).toMatchObject({ state: 'ended', outcome: 'not solved' });
    expect(detail.transcript.some((l) => l.from === 'user' && l.text === 'It is an iPhone 13 on iOS 17')).toBe(true);

    // Teams never saw the hand-off's own events.
    expect(all().filter((a) => a.type === 'event')).toEqual([]);
  }, 60_000);
});
