/**
 * Agents in Teams: Teams-shaped activities through the bot's own
 * /api/messages and a fake Teams connector. An allow-listed agent gets a card
 * per new request in their 1:1 chat with the bot, accepts (the card's
 * Action.Submit as Teams sends it, or typed), chats with the user both ways
 * and ends; anyone else typing the same commands is an ordinary user.
 */
import type { Attachment } from 'botbuilder-core';
import { fill } from '../../src/dialogs/text';
import { adaptiveCardProblems } from '../teams/card-validation';
import { startTeamsBot, TeamsConversation, TEXT, eventually } from '../teams/teams-harness';
import type { TeamsBot } from '../teams/teams-harness';

const ALEX_AAD = '4f0a6c1e-2b1d-4f4e-9a55-7d1c1f0a0001';
const SAM_ID = '29:1sam-teams-user-id';

interface Card {
  body: Array<{ type: string; text?: string; facts?: Array<{ title: string; value: string }> }>;
  actions?: Array<{ type: string; title: string; data: Record<string, unknown> }>;
}

describe('agents in Teams', () => {
  let bot: TeamsBot;
  beforeAll(async () => {
    // One agent allow-listed by Entra object id, one by Teams user id.
    bot = await startTeamsBot({ TEAMS_AGENT_IDS: ` ${ALEX_AAD} , ${SAM_ID}` });
  });
  afterAll(() => bot.close());
  afterEach(() => expect(bot.errors).toEqual([]));

  /** An agent's 1:1 chat with the bot, installed (so the bot has its conversation reference). */
  async function agentChat(name: string, ids: { aad?: string; id?: string }): Promise<TeamsConversation> {
    const chat = new TeamsConversation(bot.channel, 'personal');
    chat.user.name = name;
    if (ids.aad) (chat.user as { aadObjectId: string }).aadObjectId = ids.aad;
    if (ids.id) chat.user.id = ids.id;
    await chat.install();
    chat.collect(200); // the welcome, as for anyone
    return chat;
  }

  const all = (c: TeamsConversation) => bot.channel.received(c.id);
  const messages = (c: TeamsConversation) => all(c).filter((a) => a.type === 'message');
  /** The request cards an agent got (not the bot's own menus, which are Adaptive Cards in Teams too). */
  const cards = (c: TeamsConversation): Card[] =>
    messages(c)
      .flatMap((m) => (m.attachments ?? []).filter((a: Attachment) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as Card))
      .filter((card) => card.actions?.some((a) => a.data?.handoffAction === 'accept'));
  /** Said in a message's text or in its card (Teams gets the bot's prompts with buttons as Adaptive Cards). */
  const saidTo = (c: TeamsConversation, part: string) =>
    eventually(() => messages(c).some((m) => (m.text ?? '').includes(part) || JSON.stringify(m.attachments ?? []).includes(JSON.stringify(part).slice(1, -1))), 10_000);

  /** What the bot answered this turn (a turn also collects proactive messages that arrived before it). */
  const answer = (turn: { messages: Array<{ text?: string }> }) => turn.messages.at(-1)?.text ?? '';

  async function waitingUser(): Promise<TeamsConversation> {
    const user = new TeamsConversation(bot.channel, 'personal');
    await user.install();
    await user.say("whatsapp won't back up to icloud");
    await user.say('talk to a person');
    await user.say('yes');
    await saidTo(user, ' in line');
    return user;
  }

  test('a card per request, accept from the card, messages and typing both ways, end; the other agent is told it is taken', async () => {
    const alex = await agentChat('Alex Support', { aad: ALEX_AAD });
    const sam = await agentChat('Sam Support', { id: SAM_ID });
    const user = await waitingUser();
    await bot.app.teamsAgents.idle();

    // Each agent got one card: who, where, what they asked, and an Accept button.
    for (const agent of [alex, sam]) {
      await eventually(() => cards(agent).length === 1, 10_000);
      const [card] = cards(agent);
      expect(card!.body[0]!.text).toBe(fill(TEXT.agent_card_heading!, { name: 'Ada Lovelace', channel: 'Teams', position: 1 }));
      const facts = new Map(card!.body[1]!.facts!.map((f) => [f.title, f.value]));
      expect(facts.get(TEXT.agent_card_asked!)).toBe("whatsapp won't back up to icloud");
      expect(card!.actions).toEqual([{ type: 'Action.Submit', title: TEXT.agent_card_accept, data: { handoffAction: 'accept', handoffId: expect.any(String) } }]);
      expect(adaptiveCardProblems(card)).toEqual([]);
    }

    // `queue` lists the request.
    const queue = await alex.say('queue');
    expect(queue.text).toContain(fill(TEXT.agent_queue_heading!, { count: 1 }));
    expect(queue.text).toMatch(/1\. Ada Lovelace \(Teams, \d+ s\): whatsapp won't back up to icloud/);

    // Alex presses Accept: Teams posts the Action.Submit data as `value`, with no text.
    const [alexCard] = cards(alex);
    const accepted = await alex.post({ type: 'message', value: alexCard!.actions![0]!.data, replyToId: 'card-1' });
    expect(accepted.status).toBe(200);
    expect(answer(accepted)).toBe(fill(TEXT.agent_accepted!, { name: 'Ada Lovelace' }));
    await saidTo(user, fill(TEXT.handoff_joined!, { agent: 'Alex Support' }));

    // Both cards are redrawn without the button (Teams keeps old cards clickable); Sam's says it is taken.
    await bot.app.teamsAgents.idle();
    const cardMessage = (c: TeamsConversation) => messages(c).find((m) => JSON.stringify(m.attachments ?? []).includes('handoffAction'))!;
    for (const agent of [alex, sam]) {
      const updates = bot.channel.updates(agent.id);
      expect(updates).toHaveLength(1);
      expect(updates[0]!.id).toBe(cardMessage(agent).id);
      const redrawn = updates[0]!.attachments![0]!.content as Card;
      expect(redrawn.actions).toBeUndefined();
      expect(adaptiveCardProblems(redrawn)).toEqual([]);
      expect(redrawn.body[0]!.text).toBe(cards(agent)[0]!.body[0]!.text);
      expect(JSON.stringify(redrawn.body).includes(TEXT.agent_taken!)).toBe(agent === sam);
    }

    // Sam was too late (a press on the old card, before Teams redrew it).
    const [samCard] = cards(sam);
    const late = await sam.post({ type: 'message', value: samCard!.actions![0]!.data });
    expect(answer(late)).toBe(TEXT.agent_taken);

    // The user writes (with typing first): it reaches Alex, as plain text, and the bot stays quiet.
    await user.post({ type: 'typing' });
    await eventually(() => all(alex).some((a) => a.type === 'typing'), 10_000);
    const quiet = await user.say('It is an iPhone 13 *with* <b>iOS 17</b>');
    expect(quiet.messages).toEqual([]);
    await saidTo(alex, 'Ada Lovelace: It is an iPhone 13 *with* <b>iOS 17</b>');
    const relayed = messages(alex).find((m) => (m.text ?? '').startsWith('Ada Lovelace: It is'));
    expect(relayed?.textFormat).toBe('plain');

    // Alex writes and types from the 1:1 chat: it reaches the user; the bot does not answer Alex itself.
    const typingBefore = all(user).filter((a) => a.type === 'typing').length;
    await alex.post({ type: 'typing' });
    await eventually(() => all(user).filter((a) => a.type === 'typing').length > typingBefore, 10_000);
    const sent = await alex.say('Thanks Ada. Try signing out of iCloud and back in.');
    expect(sent.messages).toEqual([]);
    await saidTo(user, 'Thanks Ada. Try signing out of iCloud and back in.');

    // `end` hands the user back to the bot, which asks whether it is solved.
    const ended = await alex.say('end');
    expect(answer(ended)).toBe(fill(TEXT.agent_ended!, { name: 'Ada Lovelace' }));
    await saidTo(user, TEXT.handoff_ask_solved!);
    expect(answer(await alex.say('end'))).toBe(TEXT.agent_nothing_to_end);
    // Once ended, Alex's messages are the bot's again (a normal reply, nothing relayed).
    const after = await alex.say('thanks');
    expect(after.text).toContain(TEXT.thanks);
    await bot.app.teamsAgents.idle();
    expect(messages(user).some((m) => m.text === 'thanks')).toBe(false);
  }, 60_000);

  test('typed `accept <n>` takes that place in the queue; a hand-off ended elsewhere is reported to the agent', async () => {
    const sam = await agentChat('Sam Support', { id: SAM_ID });
    expect(answer(await sam.say('queue'))).toBe(TEXT.agent_queue_empty);
    const user = await waitingUser();
    expect(answer(await sam.say('accept 2'))).toBe(fill(TEXT.agent_no_such!, { n: 2 }));
    expect(answer(await sam.say('Accept  1'))).toBe(fill(TEXT.agent_accepted!, { name: 'Ada Lovelace' }));
    await saidTo(user, fill(TEXT.handoff_joined!, { agent: 'Sam Support' }));
    expect(answer(await sam.say('accept'))).toBe(fill(TEXT.agent_busy!, { name: 'Ada Lovelace' }));
    // Ending from the console side (or anywhere but here) is reported in the chat.
    await bot.app.agentDesk.end((await bot.app.agentDesk.mine(`teams:${SAM_ID}`))[0]!.id, { id: `teams:${SAM_ID}`, name: 'Sam Support', role: 'agent', via: 'teams' });
    await saidTo(sam, fill(TEXT.agent_user_gone!, { name: 'Ada Lovelace' }));
  }, 60_000);

  test('anyone not allow-listed typing the commands gets the ordinary bot, and cannot accept; a user who leaves closes the card', async () => {
    const alex = await agentChat('Alex Support', { aad: ALEX_AAD });
    const user = await waitingUser();
    const stranger = new TeamsConversation(bot.channel, 'personal');
    stranger.user.name = 'Mallory';
    await stranger.install();
    stranger.collect(200);
    const waiting = await bot.app.agentDesk.waiting();
    expect(waiting.map((v) => v.conversationId)).toContain(user.id);

    for (const command of ['queue', 'accept 1', 'accept', 'end']) {
      const turn = await stranger.say(command);
      expect(turn.status).toBe(200);
      expect(turn.text).not.toContain(fill(TEXT.agent_queue_heading!, { count: 1 }));
      expect(turn.text).not.toContain('Ada Lovelace');
      expect(turn.text).not.toContain(TEXT.agent_accepted!.split('{')[0]!);
    }
    // Even the card's exact submit data does nothing for them.
    await stranger.post({ type: 'message', value: { handoffAction: 'accept', handoffId: waiting[0]!.id } });
    // The agent's commands typed in a group chat by an allow-listed agent are not agent commands either.
    const group = new TeamsConversation(bot.channel, 'groupChat');
    group.user.id = SAM_ID;
    await group.say('accept 1', { mention: true });
    expect((await bot.app.agentDesk.waiting()).map((v) => v.id)).toEqual(waiting.map((v) => v.id));
    expect(messages(user).some((m) => (m.text ?? '').includes('has joined'))).toBe(false);

    await user.say('leave');
    await bot.app.teamsAgents.idle();
    const [closed] = bot.channel.updates(alex.id);
    expect((closed!.attachments![0]!.content as Card).actions).toBeUndefined();
    expect(JSON.stringify(closed!.attachments)).toContain(fill(TEXT.agent_user_gone!, { name: 'Ada Lovelace' }));
  }, 60_000);
});
