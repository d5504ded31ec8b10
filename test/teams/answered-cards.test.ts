import { teamsRenderingProblems } from './card-validation';
import { startTeamsBot, TeamsConversation, TEXT } from './teams-harness';
import type { TeamsBot } from './teams-harness';

let bot: TeamsBot;
beforeAll(async () => {
  bot = await startTeamsBot();
});
afterAll(async () => bot.close());
afterEach(() => expect(bot.errors).toEqual([]));

describe('a card once answered in Teams', () => {
  test('is redrawn with the question and the chosen answer, and no buttons left to press', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const start = await chat.say("my whatsapp won't back up to icloud");
    // One message: the fix's heading and intro inside the step's card, above the step.
    expect(start.messages).toHaveLength(1);
    const card = start.messages[0]!;
    const done = start.buttons.find((b) => b.title === TEXT.choice_done)!;

    await chat.press(done, card.id);

    const [update, ...more] = bot.channel.updates(chat.id);
    expect(more).toEqual([]);
    expect(update!.id).toBe(card.id);
    const content = update!.attachments![0]!.content as { body: Array<{ text: string }>; actions?: unknown[] };
    expect(content.actions ?? []).toEqual([]);
    // The redrawn card keeps all of it: nothing the user read disappears from the chat.
    expect(content.body.map((b) => b.text)).toEqual([expect.stringMatching(/\(fix 1 of 8\)[\s\S]*Open the \*\*Settings\*\* app/), `✓ **${TEXT.choice_done}**`]);
    expect(teamsRenderingProblems(update as never)).toEqual([]);
  });

  test('a retried button press redraws nothing twice and answers nothing twice', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const start = await chat.say("my whatsapp won't back up to icloud");
    const card = start.messages[start.messages.length - 1]!;
    const done = start.buttons.find((b) => b.title === TEXT.choice_done)!;
    const id = `press-${chat.id}`;

    const first = await chat.post({ id, type: 'message', value: done.data, replyToId: card.id });
    const retry = await chat.post({ id, type: 'message', value: done.data, replyToId: card.id });

    expect(first.messages.length).toBeGreaterThan(0);
    expect(retry.messages).toEqual([]);
    expect(bot.channel.updates(chat.id)).toHaveLength(1);
  });

  test('a typed answer (no card press) redraws nothing', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    await chat.say("my whatsapp won't back up to icloud");
    await chat.say(TEXT.choice_done!);
    expect(bot.channel.updates(chat.id)).toEqual([]);
  });
});
