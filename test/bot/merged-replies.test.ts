/**
 * Plain text messages in a row reach the user as one message; anything else
 * keeps its place and lets held text go first.
 */
import { ActivityTypes, CardFactory, MessageFactory, TestAdapter, TurnContext } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';
import { withMergedReplies } from '../../src/bot/merged-replies';

async function turn(logic: (context: TurnContext) => Promise<void>): Promise<Array<Partial<Activity>>> {
  const sent: Array<Partial<Activity>> = [];
  const adapter = new TestAdapter(async (context) => withMergedReplies(context, () => logic(context)));
  adapter.use({
    onTurn: async (context, next) => {
      context.onSendActivities(async (_c, activities, send) => {
        sent.push(...activities.map((a) => ({ type: a.type, text: a.text, ...(a.suggestedActions ? { suggestedActions: a.suggestedActions } : {}) })));
        return send();
      });
      await next();
    },
  });
  await adapter.send('hi');
  return sent;
}

it('joins texts said in a row into the next message, buttons and all', async () => {
  const sent = await turn(async (c) => {
    await c.sendActivity('Heading');
    await c.sendActivity('Intro');
    await c.sendActivity(MessageFactory.suggestedActions(['Done'], 'Step one'));
  });
  expect(sent).toEqual([{ type: 'message', text: 'Heading\n\nIntro\n\nStep one', suggestedActions: expect.objectContaining({ actions: [expect.objectContaining({ title: 'Done' })] }) }]);
});

it('puts held text inside a choice card that has no message text (Teams redraws answered cards without it)', async () => {
  const sent: Array<Partial<Activity>> = [];
  const adapter = new TestAdapter(async (c) =>
    withMergedReplies(c, async () => {
      await c.sendActivity('Heading');
      await c.sendActivity(MessageFactory.attachment(CardFactory.heroCard('', 'Step one', undefined, [{ type: 'imBack', title: 'Done', value: 'Done' }])));
    }),
  );
  adapter.use({ onTurn: async (c, next) => (c.onSendActivities(async (_c, a, send) => (sent.push(...a), send())), next()) });
  await adapter.send('hi');
  expect(sent).toHaveLength(1);
  expect(sent[0]!.text).toBeUndefined();
  expect(sent[0]!.attachments![0]!.content).toMatchObject({ text: 'Heading\n\nStep one', buttons: [{ title: 'Done' }] });
});

it('sends what is still held when the turn ends', async () => {
  expect(await turn(async (c) => void (await c.sendActivity('Only this')))).toEqual([{ type: 'message', text: 'Only this' }]);
});

it('lets held text go first, on its own, before a typing indicator, and keeps the order', async () => {
  const sent = await turn(async (c) => {
    await c.sendActivity('Let me look.');
    await c.sendActivity({ type: ActivityTypes.Typing });
    await c.sendActivity('Found it.');
  });
  expect(sent.map((a) => [a.type, a.text])).toEqual([
    ['message', 'Let me look.'],
    ['typing', undefined],
    ['message', 'Found it.'],
  ]);
});

it('answers a held message with an empty id, and a sent one with the channel\'s', async () => {
  const ids: Array<string | undefined> = [];
  await turn(async (c) => {
    ids.push((await c.sendActivity('held'))?.id);
    ids.push((await c.sendActivity(MessageFactory.suggestedActions(['Yes'], 'sent')))?.id);
  });
  expect(ids[0]).toBe('');
  expect(ids[1]).toBeTruthy();
});

it('drops what a failed turn held, and leaves the context as it found it', async () => {
  let context: TurnContext | undefined;
  const sent: Array<Partial<Activity>> = [];
  const adapter = new TestAdapter(async (c) => {
    context = c;
    const own = c.sendActivities;
    await expect(
      withMergedReplies(c, async () => {
        await c.sendActivity('half a thought');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(c.sendActivities).toBe(own);
  });
  adapter.use({ onTurn: async (c, next) => (c.onSendActivities(async (_c, a, send) => (sent.push(...a), send())), next()) });
  await adapter.send('hi');
  expect(context).toBeDefined();
  expect(sent).toEqual([]);
});
