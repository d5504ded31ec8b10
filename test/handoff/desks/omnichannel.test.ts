/**
 * The bot behind Dynamics 365 Contact Center (Omnichannel for Customer Service, channelId "omnichannel"), on the wire,
 * per Microsoft's "Configure Azure bots to escalate and end conversations" (MicrosoftDocs/dynamics-365-customer-engagement,
 * ce/customer-service/bot-escalate-end-conversation.md): the escalation is a message whose channelData.tags is the JSON
 * command {"type":"Escalate","context":{...}} (its text is the summary, for the agent only); every message the customer
 * should see carries channelData.deliveryMode "bridged"; the end is the command {"type":"EndConversation","context":{}}.
 */
import Database from 'better-sqlite3';
import { EventFactory, TestAdapter } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';
import { SqliteHandoffStore } from '../../../src/handoff/handoff-store';
import { OmnichannelMiddleware } from '../../../src/handoff/desks/omnichannel';
import { Conversation, messagesText, startBot } from '../../integration/harness';
import type { RunningBot } from '../../integration/harness';
import { askForPerson, auditLog } from '../support';

const text = messagesText();
const labels = { agent_card_asked: 'Asked', agent_card_fixes: 'Fixes tried', agent_card_sizes: 'Sizes', agent_card_devices: 'Devices' };

describe('a hand-off on channel omnichannel', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ channelId: 'omnichannel' });
  });
  afterAll(() => bot.close());

  test('becomes the documented escalation message; everything the customer sees is bridged; the bot is free afterwards', async () => {
    const user = new Conversation(bot.channel);
    await user.join();
    await user.say('my iphone backup is stuck at 40%');
    await askForPerson(user);
    const wire = bot.channel.received(user.id);

    // No hand-off event ever reaches Omnichannel; the escalation is a message.
    expect(wire.filter((a) => a.type === 'event')).toEqual([]);
    const escalations = wire.filter((a) => typeof (a.channelData as { tags?: unknown } | undefined)?.tags === 'string');
    expect(escalations).toHaveLength(1);
    const escalation = escalations[0]!;
    expect(escalation.type).toBe('message');
    const command = JSON.parse((escalation.channelData as { tags: string }).tags) as { type: string; context: Record<string, string> };
    expect(command.type).toBe('Escalate');
    expect(command.context).toMatchObject({ userName: 'User', firstMessage: 'my iphone backup is stuck at 40%' });
    expect(command.context.handoffId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.values(command.context).every((v) => typeof v === 'string')).toBe(true);
    expect(escalation.text).toContain(`${text.agent_card_asked}: my iphone backup is stuck at 40%`);
    // The summary is for the agent only: not bridged.
    expect((escalation.channelData as Record<string, unknown>).deliveryMode).toBeUndefined();

    // Every other message (welcome, answers, "finding someone") is bridged to the customer.
    const shown = wire.filter((a) => a.type === 'message' && a !== escalation);
    expect(shown.length).toBeGreaterThan(3);
    for (const message of shown) expect(message.channelData).toMatchObject({ deliveryMode: 'bridged' });
    expect(shown.map((m) => m.text)).toContain(text.handoff_requested);

    // The bot's own queue never held it: passed on, no queue position; a later message gets the bot, not a relay.
    expect(auditLog(bot.dataDir).filter((e) => e.handoff_id === command.context.handoffId).map((e) => [e.event, e.detail])).toEqual([
      ['requested', null],
      ['passed_on', 'omnichannel'],
    ]);
    const after = await user.say('hello');
    expect(after.text).toContain(text.greeting);
    expect(after.activities.every((a) => (a.channelData as Record<string, unknown>)?.deliveryMode === 'bridged')).toBe(true);
  });
});

describe('OmnichannelMiddleware', () => {
  const database = new Database(':memory:');
  const store = new SqliteHandoffStore(database);
  afterAll(() => database.close());

  async function run(channelId: string, logic: (context: TurnContext) => Promise<void>) {
    const sent: Partial<Activity>[] = [];
    const adapter = new TestAdapter(logic, { channelId, conversation: { id: 'c1' } as never, user: { id: 'u1' }, bot: { id: 'b1' } } as never);
    adapter.use(new OmnichannelMiddleware({ store, labels }));
    adapter.use({ onTurn: async (context, next) => (context.onSendActivities(async (_c, activities, send) => (sent.push(...activities), send())), next()) });
    await adapter.send('hi');
    return sent;
  }

  test('turns the bot\'s endOfConversation into the EndConversation command (not bridged)', async () => {
    const sent = await run('omnichannel', async (context) => {
      await context.sendActivity('Thanks for contacting us.');
      await context.sendActivity({ type: 'endOfConversation' });
    });
    expect(sent.map((a) => [a.type, a.channelData])).toEqual([
      ['message', { deliveryMode: 'bridged' }],
      ['message', { tags: JSON.stringify({ type: 'EndConversation', context: {} }) }],
    ]);
  });

  test('closes the bot\'s record when it escalates, and leaves every other channel alone', async () => {
    const record = await store.create({ conversationId: 'c1', channelId: 'omnichannel', userName: 'Ann', summary: { fixesTried: [], sizes: [], devices: [], firstMessage: 'help', lastUserMessages: [], channel: 'omnichannel' }, reference: {} });
    const initiate = (context: TurnContext) => EventFactory.createHandoffInitiation(context, { handoffId: record.id, userName: 'Ann', summary: record.summary }, { activities: [] });
    const teams = await run('msteams', async (context) => {
      await context.sendActivity('plain');
      await context.sendActivity({ type: 'endOfConversation' });
      await context.sendActivity(initiate(context));
    });
    expect(teams.map((a) => [a.type, a.channelData])).toEqual([
      ['message', undefined],
      ['endOfConversation', undefined],
      ['event', undefined],
    ]);
    expect((await store.get(record.id))!.state).toBe('waiting');
    const omni = await run('omnichannel', async (context) => void (await context.sendActivity(initiate(context))));
    expect(JSON.parse((omni[0]!.channelData as { tags: string }).tags)).toEqual({ type: 'Escalate', context: { handoffId: record.id, userName: 'Ann', firstMessage: 'help', fixesTried: '', devices: '', sizes: '' } });
    expect((await store.get(record.id))!.state).toBe('ended');
  });
});
