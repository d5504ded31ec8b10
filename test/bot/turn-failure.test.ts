import { createTurnErrorHandler } from '../../src/bot/turn-failure';
import type { Logger } from '../../src/log';
import type { Nlu } from '../../src/nlu';
import { realContent, TestConversation } from '../support/test-bot';

const { content, nlu } = realContent();
const text = content.messages.text;
const fix = content.fixes.find((f) => f.id === 'icloud-access')!;
const stepSay = (i: number) => (fix.steps[i] as { say: string }).say;

/** The real classifier, except that one word makes it fail the way a bug would. */
const faultyNlu: Nlu = {
  parse(words) {
    if (words.includes('💥')) throw new Error('simulated fault in understanding');
    return nlu.parse(words);
  },
};

function conversationWithErrorPath(): { conversation: TestConversation; logged: string[] } {
  const logged: string[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
  const conversation = new TestConversation({ nlu: faultyNlu });
  conversation.adapter.onTurnError = createTurnErrorHandler({ log, apology: text.error! });
  return { conversation, logged };
}

describe('a turn that fails because of a fault in the bot', () => {
  test('apologises, says nothing is lost, and the next message continues at the same step', async () => {
    const { conversation, logged } = conversationWithErrorPath();
    expect((await conversation.say("whatsapp won't back up to icloud")).text).toContain(stepSay(0));
    expect((await conversation.say('Done')).text).toContain(stepSay(1));

    const failed = await conversation.say('💥 done');
    expect(failed.text).toBe(text.error);
    expect(logged).toEqual(['turn failed; the conversation is unchanged']);

    expect((await conversation.say('Done')).text).toContain(stepSay(2));
  });
});
