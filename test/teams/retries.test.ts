import { startTeamsBot, TeamsConversation } from './teams-harness';
import type { TeamsBot } from './teams-harness';

let bot: TeamsBot;
beforeAll(async () => {
  bot = await startTeamsBot();
});
afterAll(async () => bot.close());
afterEach(() => expect(bot.errors).toEqual([]));

/** Teams resends an activity, same id, when it saw no answer within 15 s. */
describe('a Teams retry', () => {
  test('of a message already answered is acknowledged and not processed again', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const first = await chat.say("my whatsapp won't back up to icloud", { id: 'msg-1' });
    const retry = await chat.say("my whatsapp won't back up to icloud", { id: 'msg-1' });
    expect(first.messages.length).toBeGreaterThan(0);
    expect(retry.status).toBe(200);
    expect(retry.activities).toEqual([]);
  });

  test('that arrives while the first is still being processed is processed once', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const activity = chat.activity({ id: 'msg-2', type: 'message', text: "my whatsapp won't back up to icloud" });
    const statuses = await Promise.all([bot.channel.send(activity), bot.channel.send(activity), bot.channel.send(activity)]);
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200]);

    const once = new TeamsConversation(bot.channel, 'personal');
    const reference = await once.say("my whatsapp won't back up to icloud");
    expect(chat.collect(200).activities.map((a) => a.type)).toEqual(reference.activities.map((a) => a.type));
  });

  test('of a button press does not skip a step', async () => {
    const chat = new TeamsConversation(bot.channel, 'personal');
    const first = await chat.say("my whatsapp won't back up to icloud");
    const done = first.buttons.find((b) => b.title === 'Done')!;
    const press = chat.activity({ id: 'press-1', type: 'message', value: done.data });
    await bot.channel.send(press);
    const step2 = chat.collect(200);
    await bot.channel.send(press);
    expect(chat.collect(200).activities).toEqual([]);

    const next = await chat.press(done);
    expect(next.text).not.toBe(step2.text);
    expect(step2.text).toContain('iCloud Drive');
  });

  test('in a channel thread is ignored too', async () => {
    const thread = new TeamsConversation(bot.channel, 'channel');
    await thread.say('help', { mention: true, id: 'post-1' });
    const retry = await thread.say('help', { mention: true, id: 'post-1' });
    expect(retry.activities).toEqual([]);
  });

  test('is not confused with the same id in another conversation', async () => {
    const a = new TeamsConversation(bot.channel, 'personal');
    const b = new TeamsConversation(bot.channel, 'personal');
    await a.say('help', { id: 'shared-id' });
    expect((await b.say('help', { id: 'shared-id' })).messages.length).toBeGreaterThan(0);
  });
});
