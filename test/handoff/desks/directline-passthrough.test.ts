/**
 * HANDOFF_PASSTHROUGH=directline on the wire: the bot's handoff.initiate goes on to the Direct Line client as the core
 * made it (value handoffId / userName / summary, the "Transcript" attachment) plus the context keys Copilot Studio puts
 * on its own handoff.initiate (va_LastTopic, va_AgentMessage, va_Language). Never on other channels, never to Teams.
 */
import Database from 'better-sqlite3';
import { EventFactory, HandoffEventNames, TestAdapter } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';
import { DirectLinePassthrough } from '../../../src/handoff/desks/directline-passthrough';
import { SqliteHandoffStore } from '../../../src/handoff/handoff-store';
import { fill } from '../../../src/dialogs/text';
import { Conversation, messagesText, startBot } from '../../integration/harness';
import type { RunningBot } from '../../integration/harness';
import { askForPerson, auditLog, said } from '../support';
import { eventually } from '../agent-client';
import { pageToken, startApp } from '../../directline/harness';
import { endClients, say, textOf, welcomed } from '../../directline/web-chat-client';

const text = messagesText();
const queued1 = fill(text.handoff_queued!, { position: 1, wait: '' }).split(', usual wait')[0]!;
const initiates = (bot: RunningBot, user: Conversation) => bot.channel.received(user.id).filter((a) => a.type === 'event' && a.name === HandoffEventNames.InitiateHandoff);

describe('with HANDOFF_PASSTHROUGH=directline', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ channelId: 'directline', env: { HANDOFF_PASSTHROUGH: 'directline' } });
  });
  afterAll(() => bot.close());

  test('a Direct Line client gets the handoff.initiate event with the transcript and the Copilot Studio keys; the bot keeps no queue for it', async () => {
    const user = new Conversation(bot.channel);
    await user.join();
    await user.say('my backup is stuck at 40%', { locale: 'en-GB' });
    await user.say('talk to a person', { locale: 'en-GB' });
    await user.say('yes please', { locale: 'en-GB' });
    const events = initiates(bot, user);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    const value = event.value as Record<string, unknown> & { summary: { firstMessage: string } };
    expect(value.handoffId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(value.userName).toBe('User');
    expect(value.summary.firstMessage).toBe('my backup is stuck at 40%');
    expect(value.va_Language).toBe('en-GB');
    expect(value.va_LastTopic).toBe('');
    expect(value.va_AgentMessage).toContain(`${text.agent_card_asked}: my backup is stuck at 40%`);
    expect(event.attachments).toHaveLength(1);
    expect(event.attachments![0]).toMatchObject({ contentType: 'application/json', name: 'Transcript' });
    const transcript = (event.attachments![0]!.content as { activities: Partial<Activity>[] }).activities;
    expect(transcript.filter((a) => a.type === 'message').map((a) => a.text)).toEqual(expect.arrayContaining(['my backup is stuck at 40%', 'talk to a person', 'yes please']));

    // The contact centre has the conversation now: no queue position from the bot, the record closed as passed on.
    expect(bot.channel.received(user.id).some((a) => a.text?.startsWith(queued1))).toBe(false);
    expect(auditLog(bot.dataDir).filter((e) => e.handoff_id === value.handoffId).map((e) => [e.event, e.detail])).toEqual([
      ['requested', null],
      ['passed_on', 'directline'],
    ]);
    expect((await user.say('hello')).text).toContain(text.greeting);
  });
});

describe('with HANDOFF_PASSTHROUGH=directline, through the built-in Direct Line service', () => {
  let app: RunningBot;
  beforeAll(async () => {
    app = await startApp({ HANDOFF_PASSTHROUGH: 'directline' });
  });
  afterAll(async () => {
    endClients();
    await app.close();
  });

  test('the official Direct Line client receives the event as the contact centre would', async () => {
    const user = await welcomed(await pageToken(app.url));
    await say(user, 'talk to a person');
    expect(textOf(await say(user, 'yes please'))).toBe(text.handoff_requested);
    const event = await eventually('the handoff.initiate event', () => user.seen.find((a) => a.type === 'event' && (a as { name?: string }).name === HandoffEventNames.InitiateHandoff));
    const value = (event as { value?: Record<string, unknown> }).value!;
    expect(Object.keys(value).sort()).toEqual(['handoffId', 'summary', 'userName', 'va_AgentMessage', 'va_Language', 'va_LastTopic']);
    expect((event as { attachments?: Array<{ name?: string }> }).attachments?.map((a) => a.name)).toEqual(['Transcript']);
  });
});

describe('with HANDOFF_PASSTHROUGH=directline, on another channel', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ channelId: 'emulator', env: { HANDOFF_PASSTHROUGH: 'directline' } });
  });
  afterAll(() => bot.close());

  test('the user is queued for the bot\'s own desk and the event never reaches the channel', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued1);
    expect(initiates(bot, user)).toEqual([]);
  });
});

describe('without HANDOFF_PASSTHROUGH', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ channelId: 'directline' });
  });
  afterAll(() => bot.close());

  test('a Direct Line user is queued for the bot\'s own desk and the event stays inside the bot', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued1);
    expect(initiates(bot, user)).toEqual([]);
  });
});

describe('DirectLinePassthrough on other channels', () => {
  test.each(['msteams', 'emulator', 'webchat', 'omnichannel'])('on %s the event is left to the relay after it', async (channelId) => {
    const database = new Database(':memory:');
    const store = new SqliteHandoffStore(database);
    const record = await store.create({ conversationId: 'c1', channelId, userName: 'Ann', summary: { fixesTried: [], sizes: [], devices: [], firstMessage: 'help', lastUserMessages: [], channel: channelId }, reference: {} });
    const reachedRelay: Partial<Activity>[] = [];
    const adapter = new TestAdapter(
      async (context: TurnContext) => void (await context.sendActivity(EventFactory.createHandoffInitiation(context, { handoffId: record.id, userName: 'Ann', summary: record.summary }, { activities: [] }))),
      { channelId, conversation: { id: 'c1' }, user: { id: 'u1' }, bot: { id: 'b1' } } as never,
    );
    adapter.use(new DirectLinePassthrough({ store, labels: { agent_card_asked: 'Asked', agent_card_fixes: 'Fixes', agent_card_sizes: 'Sizes', agent_card_devices: 'Devices' } }));
    // Stands where the hand-off relay is: it sees (and would take) the event.
    adapter.use({ onTurn: async (context, next) => (context.onSendActivities(async (_c, activities) => (reachedRelay.push(...activities), activities.map(() => ({ id: 'taken' })))), next()) });
    await adapter.send('hi');
    expect(reachedRelay.map((a) => [a.type, a.name, Object.keys(a.value as object)])).toEqual([['event', HandoffEventNames.InitiateHandoff, ['handoffId', 'userName', 'summary']]]);
    expect(adapter.activeQueue).toEqual([]);
    expect((await store.get(record.id))!.state).toBe('waiting');
    database.close();
  });
});
