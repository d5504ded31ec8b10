import { teamsRenderingProblems } from './card-validation';
import { startTeamsBot, TeamsConversation, TEXT } from './teams-harness';
import type { Button, TeamsBot, Turn } from './teams-harness';

let bot: TeamsBot;
beforeAll(async () => {
  bot = await startTeamsBot();
});
afterAll(async () => bot.close());
afterEach(() => expect(bot.errors).toEqual([]));

const welcomes = (turns: Turn[]) => turns.filter((t) => t.text.includes(TEXT.welcome!)).length;

/** Presses buttons, never typing, until no button is offered; `pick` chooses which. */
async function walk(chat: TeamsConversation, first: Turn, pick: (buttons: Button[]) => Button, maxTurns = 150): Promise<Turn[]> {
  const turns = [first];
  let turn = first;
  while (turn.buttons.length > 0) {
    if (turns.length > maxTurns) throw new Error('the walk did not end');
    const card = turn.messages[turn.messages.length - 1];
    turn = await chat.press(pick(turn.buttons), card?.id);
    turns.push(turn);
  }
  return turns;
}

const titled = (buttons: Button[], ...titles: string[]) =>
  titles.map((t) => buttons.find((b) => b.title === t)).find((b) => b !== undefined) ?? buttons[0]!;

describe('a Teams personal chat', () => {
  test('installing the app welcomes the user exactly once, with the menu as buttons', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const turns = await chat.install();
    // Teams may repeat either event (an app update, a retry with a new id): still no second welcome.
    turns.push(await chat.post({ type: 'installationUpdate', action: 'add' }));
    turns.push(await chat.post({ type: 'conversationUpdate', membersAdded: [chat.user] }));

    expect(turns.every((t) => t.status === 200)).toBe(true);
    expect(welcomes(turns)).toBe(1);
    const welcome = turns.find((t) => t.text.includes(TEXT.welcome!))!;
    expect(welcome.buttons.map((b) => b.title)).toEqual([
      "WhatsApp won't back up",
      'Not enough iCloud space',
      'Backup stuck on videos',
      'Is iCloud down?',
    ]);
  });

  test('the welcome is sent once whichever install event Teams sends first', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const turns = [
      await chat.post({ type: 'installationUpdate', action: 'add' }),
      await chat.post({ type: 'conversationUpdate', membersAdded: [chat.activity({}).recipient!] }),
    ];
    expect(welcomes(turns)).toBe(1);
    expect(welcomes(turns.slice(0, 1))).toBe(1);
  });

  test('a whole fix can be walked through by button presses alone, each press a value-only submit', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const [welcome] = await chat.install();
    const turns = await walk(chat, welcome!, (b) => titled(b, 'Done', 'Yes, it worked', '5', 'No thanks'));

    expect(turns.every((t) => t.status === 200)).toBe(true);
    // Solved, then the one optional rating (its 1–5 buttons drawn as a card), answered by presses too.
    const solved = turns.find((t) => t.text.includes("That's great news"))!;
    expect(solved.text).toContain('how did I do?');
    expect(solved.buttons.map((b) => b.title)).toEqual(['1', '2', '3', '4', '5', 'Skip']);
    expect(turns[turns.length - 1]!.text).toContain('Thank you, that helps us improve.');
    expect(turns.length).toBeGreaterThan(4);
  });

  test('trying every fix and escalating works by buttons alone, including the check that asks for sizes', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const [welcome] = await chat.install();
    const turns = await walk(chat, welcome!, (b) => titled(b, "I can't find it", 'No, still failing', 'Skip'));

    const all = turns.map((t) => t.text).join('\n');
    expect(all).toContain(TEXT.still_cant_find);
    expect(all).toContain(TEXT.all_tried);
    expect(turns.every((t) => t.status === 200)).toBe(true);
  });

  test('every card the bot sends is an Adaptive Card 1.5 with at most 6 buttons, never suggested actions', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const [welcome] = await chat.install();
    const turns = [welcome!, ...(await walk(chat, welcome!, (b) => titled(b, 'It was already like that', 'No, still failing', 'Skip')))];
    turns.push(await chat.say('help'));
    turns.push(await chat.say('my whatsapp backup is stuck')); // unsure: a "which of these?" card

    const messages = turns.flatMap((t) => t.messages);
    const cards = messages.flatMap((m) => m.attachments ?? []);
    expect(cards.length).toBeGreaterThan(10);
    expect(cards.every((c) => c.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
    expect(messages.flatMap((m) => teamsRenderingProblems(m))).toEqual([]);
  });

  test('a typing indicator is shown as soon as a message arrives, before the reply', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const turn = await chat.say('my whatsapp backup is stuck');
    expect(turn.activities[0]?.type).toBe('typing');
    expect(turn.activities[0]?.conversation?.id).toBe(chat.id);
    expect(turn.messages.length).toBeGreaterThan(0);
  });

  test('typed answers still work next to the buttons', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const first = await chat.say("my whatsapp won't back up to icloud");
    expect(first.buttons.map((b) => b.title)).toContain('Done');
    const next = await chat.say('done');
    expect(next.buttons.map((b) => b.title)).toContain('Done');
    expect(next.text).not.toContain(TEXT.step_reprompt);
  });
});
