import { ActivityTypes, CardFactory, TestAdapter, TurnContext } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';
import { ChoiceFactory } from 'botbuilder-dialogs';
import { choiceCardAsAdaptiveCard, teamsMiddleware } from '../../src/channels/teams';
import { submittedText } from '../../src/channels/teams/teams-activity';
import { adaptiveCardProblems } from './card-validation';

const BOT = { id: '28:bot', name: 'Backup Help' };

/** Runs the incoming Teams middleware on one activity; returns the text the bot would see, or undefined if dropped. */
async function incoming(activity: Partial<Activity>): Promise<string | undefined> {
  const context = new TurnContext(new TestAdapter(), {
    type: ActivityTypes.Message,
    channelId: 'msteams',
    recipient: BOT,
    from: { id: '29:user', name: 'User' },
    conversation: { id: 'c1', conversationType: 'channel', isGroup: true, name: '' },
    ...activity,
  } as Activity);
  let seen: string | undefined;
  const [first, second] = teamsMiddleware().incoming;
  await first!.onTurn(context, () => second!.onTurn(context, async () => void (seen = context.activity.text)));
  return seen;
}

const mention = (text: string) => ({ type: 'mention', text, mentioned: BOT });

describe('Teams incoming middleware', () => {
  test('cuts the bot mention from the text', async () => {
    expect(await incoming({ text: '<at>Backup Help</at> my backup is stuck', entities: [mention('<at>Backup Help</at>')] })).toBe(
      'my backup is stuck',
    );
  });

  test('drops a channel or group chat message that does not mention the bot', async () => {
    expect(await incoming({ text: 'my backup is stuck' })).toBeUndefined();
    expect(await incoming({ text: 'hi', conversation: { id: 'g', conversationType: 'groupChat', isGroup: true, name: '' } })).toBeUndefined();
  });

  test('passes every personal chat message', async () => {
    expect(await incoming({ text: 'hi', conversation: { id: 'p', conversationType: 'personal', isGroup: false, name: '' } })).toBe('hi');
  });

  test('turns a value-only button press into its text, in any conversation', async () => {
    expect(await incoming({ value: { choice: 'Done' } })).toBe('Done');
    expect(await incoming({ text: '', value: { text: 'Skip' } })).toBe('Skip');
    expect(await incoming({ value: 'Yes, it worked' })).toBe('Yes, it worked');
  });

  test('leaves other channels alone', async () => {
    expect(await incoming({ channelId: 'webchat', text: 'not for Teams' })).toBe('not for Teams');
  });
});

describe('submittedText', () => {
  test('is undefined when there is typed text or no usable data', () => {
    expect(submittedText({ type: 'message', text: 'typed', value: { choice: 'Done' } })).toBeUndefined();
    expect(submittedText({ type: 'message', value: { other: 1 } })).toBeUndefined();
    expect(submittedText({ type: 'message' })).toBeUndefined();
    expect(submittedText({ type: 'invoke', value: { choice: 'Done' } })).toBeUndefined();
  });
});

describe('choice cards on Teams', () => {
  test('a botbuilder choice hero card becomes a valid Adaptive Card 1.5 whose buttons submit their label', () => {
    const [attachment] = ChoiceFactory.heroCard(['Done', "I can't find it"], 'Open **Settings**.').attachments!;
    const card = choiceCardAsAdaptiveCard(attachment!)!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(adaptiveCardProblems(card.content)).toEqual([]);
    expect(card.content).toMatchObject({
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Open **Settings**.', wrap: true }],
      actions: [
        { type: 'Action.Submit', title: 'Done', data: { choice: 'Done' } },
        { type: 'Action.Submit', title: "I can't find it", data: { choice: "I can't find it" } },
      ],
    });
  });

  test('other cards are left as they are', () => {
    const link = CardFactory.heroCard('Title', 'text', [], [{ type: 'openUrl', title: 'Apple', value: 'https://support.apple.com' }]);
    expect(choiceCardAsAdaptiveCard(link)).toBeUndefined();
    const tooMany = ChoiceFactory.heroCard(['1', '2', '3', '4', '5', '6', '7'], 'pick').attachments![0]!;
    expect(choiceCardAsAdaptiveCard(tooMany)).toBeUndefined();
  });

  test('the card check catches what Teams could not show', () => {
    const base = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'hi', wrap: true }] };
    expect(adaptiveCardProblems({ ...base, version: '1.6' })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...base, body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...base, body: [{ type: 'TextBlock', text: 'hi', madeUp: true }] })).not.toEqual([]);
    const seven = Array.from({ length: 7 }, (_, i) => ({ type: 'Action.Submit', title: `${i}`, data: { choice: `${i}` } }));
    expect(adaptiveCardProblems({ ...base, actions: seven })).not.toEqual([]);
  });
});
