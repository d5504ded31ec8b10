/**
 * Where the bot offers a person by itself: after repeated misunderstanding
 * (three messages in a row it could not read, or a prompt missed three
 * times, whose extra button asks for a person). Either way it asks first.
 */
import { Conversation, messagesText, startBot } from '../integration/harness';
import type { RunningBot } from '../integration/harness';
import { ALEX, said } from './support';

const text = messagesText();

describe('the bot offers a person', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ env: { AGENT_ACCOUNTS: ALEX } });
  });
  afterAll(() => bot.close());

  test('after three messages in a row it could not understand, and queues on a typed yes', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    expect((await c.say('it is doing a thing')).text).toBe(text.fallback);
    expect((await c.say('it is doing a thing')).text).toContain(text.fallback_again);
    const offer = await c.say('it is doing a thing');
    expect(offer.text).toBe(text.handoff_offer_misunderstood);
    expect(offer.buttons).toEqual([text.handoff_yes, text.handoff_no]);
    expect((await c.say('yes please')).text).toBe(text.handoff_requested);
    await said(c, 'number 1 in line');
  });

  test('when a step is missed three times, its "Talk to a person" button asks to confirm', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    await c.say("whatsapp won't back up");
    await c.say('purple monkey dishwasher');
    await c.say('purple monkey dishwasher');
    const third = await c.say('purple monkey dishwasher');
    expect(third.buttons).toContain(text.talk_to_person);
    const confirm = await c.say(text.talk_to_person!);
    expect(confirm.text).toBe(text.handoff_confirm);
  });
});
