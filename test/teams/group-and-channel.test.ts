import { teamsRenderingProblems } from './card-validation';
import { BOT_ID, BOT_NAME, startTeamsBot, TeamsConversation, TEXT } from './teams-harness';
import type { TeamsBot } from './teams-harness';

let bot: TeamsBot;
beforeAll(async () => {
  bot = await startTeamsBot();
});
afterAll(async () => bot.close());
afterEach(() => expect(bot.errors).toEqual([]));

const FIX_1_INTRO = "Let's start with the most common cause";

describe('a Teams channel', () => {
  test('an @mention is answered in the same thread: same conversation id (with ;messageid=), replyToId the message', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    expect(thread.id).toMatch(/@thread\.tacv2;messageid=\d+$/);
    const id = `${Date.now()}`;
    const turn = await thread.say("my whatsapp won't back up to icloud", { mention: true, id });

    expect(turn.status).toBe(200);
    expect(turn.messages.length).toBeGreaterThan(0);
    for (const reply of turn.messages) {
      expect(reply.conversation?.id).toBe(thread.id);
      expect(reply.replyToId).toBe(id);
      expect(reply.from?.id).toBe(BOT_ID);
      expect(teamsRenderingProblems(reply)).toEqual([]);
    }
    expect(turn.text).toContain(FIX_1_INTRO);
  });

  test('the @mention is cut before understanding, wherever it stands in the message', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    const tag = `<at>${BOT_NAME}</at>`;
    const turn = await thread.post({
      type: 'message',
      text: `hey ${tag} thanks`,
      entities: [{ type: 'mention', text: tag, mentioned: { id: BOT_ID, name: BOT_NAME } }],
    });
    expect(turn.text).toBe(TEXT.thanks);
  });

  test('a button press needs no @mention and moves the thread on', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    const first = await thread.say("my whatsapp won't back up to icloud", { mention: true });
    const done = first.buttons.find((b) => b.title === 'Done')!;
    expect(done).toBeDefined();

    const next = await thread.press(done, first.messages[first.messages.length - 1]?.id);
    expect(next.messages.length).toBe(1);
    expect(next.text).toContain('iCloud Drive');
    expect(next.messages[0]?.conversation?.id).toBe(thread.id);
  });

  test('a message that does not @mention the bot is ignored: no reply, no typing', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    const turn = await thread.say("my whatsapp won't back up to icloud");
    expect(turn.status).toBe(200);
    expect(turn.activities).toEqual([]);
  });

  test('a message mentioning someone else is ignored', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    const turn = await thread.post({
      type: 'message',
      text: '<at>Grace</at> can you check the backup?',
      entities: [{ type: 'mention', text: '<at>Grace</at>', mentioned: { id: '29:grace', name: 'Grace' } }],
    });
    expect(turn.activities).toEqual([]);
  });

  test('shows no typing indicator (Teams has none in channels)', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    const turn = await thread.say('help', { mention: true });
    expect(turn.activities.map((a) => a.type)).not.toContain('typing');
    expect(turn.messages.length).toBeGreaterThan(0);
  });

  test('installing in a team welcomes the channel once; people joining the team later are not welcomed', async () => {
    const general = new TeamsConversation(bot.channel, 'channel');
    const turns = [
      await general.post({ type: 'conversationUpdate', membersAdded: [{ id: BOT_ID, name: BOT_NAME }], channelData: { eventType: 'teamMemberAdded' } }),
      await general.post({ type: 'installationUpdate', action: 'add' }),
      await general.post({ type: 'conversationUpdate', membersAdded: [{ id: '29:new-colleague', name: 'New colleague' }] }),
    ];
    expect(turns.filter((t) => t.text.includes(TEXT.welcome!)).length).toBe(1);
    expect(turns[2]!.activities).toEqual([]);
  });
});

describe('a Teams group chat', () => {
  test('an @mention gets typing, then the answer; other messages are ignored', async () => {
    const chat = new TeamsConversation(bot.channel, 'groupChat');
    const ignored = await chat.say('anyone know why my backup fails?');
    expect(ignored.activities).toEqual([]);

    const turn = await chat.say("my whatsapp won't back up to icloud", { mention: true });
    expect(turn.activities[0]?.type).toBe('typing');
    expect(turn.text).toContain(FIX_1_INTRO);
    expect(turn.messages.every((m) => m.conversation?.id === chat.id)).toBe(true);
  });

  test('adding the bot to a group chat welcomes once; adding people does not', async () => {
    const chat = new TeamsConversation(bot.channel, 'groupChat');
    const turns = [
      await chat.post({ type: 'conversationUpdate', membersAdded: [{ id: BOT_ID, name: BOT_NAME }] }),
      await chat.post({ type: 'installationUpdate', action: 'add' }),
      await chat.post({ type: 'conversationUpdate', membersAdded: [{ id: '29:someone', name: 'Someone' }] }),
    ];
    expect(turns.map((t) => t.text.includes(TEXT.welcome!))).toEqual([true, false, false]);
  });
});
