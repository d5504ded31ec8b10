import { realContent } from '../support/test-bot';
import { Conversation, messagesText, readContent, startBot } from './harness';
import type { FixYaml, RunningBot } from './harness';

/**
 * Words that name Object.prototype's own properties. Looking user text up in a
 * plain object finds these ("constructor" is a function, not a word list), so
 * every one goes through the classifier, the parse API and a whole fix.
 */
const NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype'])];
const text = messagesText();
const fix = readContent<FixYaml>('icloud-access.yaml');

describe('Object.prototype names in what users type', () => {
  const { nlu } = realContent();

  test.each(NAMES)('the classifier reads "%s" alone and inside a sentence', (name) => {
    for (const words of [name, `my whatsapp backup says ${name} error`, `${name.toUpperCase()}!!`]) {
      const parse = nlu.parse(words);
      expect(parse.intent_ranking).toHaveLength(15);
      const total = parse.intent_ranking.reduce((sum, r) => sum + r.confidence, 0);
      expect(total).toBeCloseTo(1, 6);
    }
  });

  describe('over HTTP', () => {
    let bot: RunningBot;
    beforeAll(async () => {
      bot = await startBot();
    });
    afterAll(async () => bot?.close());
    afterEach(() => expect(bot.errors).toEqual([]));

    test('POST /api/nlu/parse answers 200 for every name, as text and as JSON keys', async () => {
      for (const name of NAMES) {
        const body = `{"text": ${JSON.stringify(name)}, ${JSON.stringify(name)}: {"length": 1}}`;
        const res = await fetch(`${bot.url}/api/nlu/parse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
        expect(((await res.json()) as { text: string }).text).toBe(name);
      }
    });

    test('a user typing every name at every step of a fix keeps their place and finishes the fix', async () => {
      const c = new Conversation(bot.channel);
      for (const name of NAMES) expect((await c.say(name)).text).not.toContain(text.error);
      const opened = await c.say("whatsapp won't back up to icloud");
      expect(opened.text).toContain(fix.steps[0]!.say);
      for (const index of fix.steps.keys()) {
        for (const name of NAMES) {
          const turn = await c.say(name);
          expect({ name, status: turn.status }).toEqual({ name, status: 200 });
          expect(turn.text).not.toContain(text.error);
        }
        const next = await c.say(text.choice_done!);
        expect(next.text).toContain(fix.steps[index + 1]?.say ?? text.verify!);
      }
      for (const name of NAMES) expect((await c.say(name)).text).not.toContain(text.error);
      expect((await c.say(text.verify_no!)).text).toContain(text.next_fix);
    });
  });
});
