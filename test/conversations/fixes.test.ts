import { realContent, TestConversation } from '../support/test-bot';
import type { Turn } from '../support/test-bot';
import { SAY, StubNlu } from '../support/stub-nlu';
import { fill } from '../../src/dialogs/text';
import { allPaths, assertSaid, expectedTranscript, prepare, skipsVerify, startMessage } from './fix-walker';
import type { Expectation, Path } from './fix-walker';
import type { FixDefinition, InstructionStep } from '../../src/content/types';

const { content } = realContent();
const { messages } = content;
const text = messages.text;
const outcomesOf = (check: string) => (check === 'storage-space' ? ['enough', 'short', 'skipped'] : ['available', 'degraded', 'unknown']);

/** Plays the transcript up to (not including) turn `upTo`, checking every reply on the way. */
async function playTo(fix: FixDefinition, path: Path, upTo: number): Promise<{ conversation: TestConversation; last: Turn; turns: Expectation[] }> {
  const conversation = new TestConversation({ nlu: new StubNlu() });
  prepare(conversation, fix, path);
  const turns = expectedTranscript(fix, path, messages);
  let last = await conversation.say(startMessage(fix, path));
  assertSaid(last, turns[0]!.expect);
  for (let i = 1; i < Math.min(upTo, turns.length); i++) {
    last = await conversation.say(turns[i]!.said);
    assertSaid(last, turns[i]!.expect);
  }
  return { conversation, last, turns };
}

describe.each(content.fixes.map((fix) => [fix.id, fix] as const))('fix %s', (_id, fix) => {
  const paths = allPaths(fix, (step) => outcomesOf(step.check));

  test.each(paths.map((p) => [JSON.stringify(p), p] as const))(
    'walks every step along %s and then, if the fix changed something, celebrates when the backup works',
    async (_name, path) => {
      const { conversation, turns } = await playTo(fix, path, Number.MAX_SAFE_INTEGER);
      if (skipsVerify(fix, path)) {
        expect(turns[turns.length - 1]!.waitingOn).toBeUndefined();
        return;
      }
      expect(turns[turns.length - 1]!.waitingOn).toBe('verify');
      const done = await conversation.say(text.verify_yes);
      assertSaid(done, [fill(text.solved, { title: fix.title })]);
    },
  );

  // The first path on which the bot asks whether the fix helped.
  const path = paths.find((p) => !skipsVerify(fix, p))!;

  test('when the backup still fails, moves on to the next fix not yet tried', async () => {
    const { conversation } = await playTo(fix, path, Number.MAX_SAFE_INTEGER);
    const next = content.fixes.find((f) => f.id !== fix.id)!;
    const reply = await conversation.say(text.verify_no);
    assertSaid(reply, [fill(text.next_fix, { title: next.title }), next.intro]);
  });

  const transcript = expectedTranscript(fix, path, messages);
  const waits = transcript.map((t, i) => [t.waitingOn ?? '', i] as const).filter(([w]) => w !== '');

  describe.each(waits)('while waiting on %s', (_step, index) => {
    const prompt = () => transcript[index]!.expect[transcript[index]!.expect.length - 1]!;

    test('help answers and then asks the same thing again', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      const reply = await conversation.say(SAY.help);
      assertSaid(reply, [text.help, text.help_resume, prompt()]);
    });

    test('"talk to a person" gives the support contacts, says no agent is connected, and resumes', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      const reply = await conversation.say(SAY.human);
      assertSaid(reply, [text.human, 'https://support.apple.com/contact', 'https://faq.whatsapp.com', text.help_resume, prompt()]);
    });

    test('start over asks first; "Yes, stop" cancels the fix and shows the menu', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      const asked = await conversation.say(SAY.cancel);
      assertSaid(asked, [text.stop_confirm]);
      expect(asked.buttons).toEqual([text.stop_yes, text.stop_no]);
      const reply = await conversation.say(text.stop_yes);
      assertSaid(reply, [text.cancelled, text.menu_prompt]);
      expect(reply.buttons).toEqual(messages.menu.map((m) => m.label));
      const after = await conversation.say(SAY.hello);
      assertSaid(after, [text.greeting]);
    });

    test('start over, then "No, carry on", asks the same thing again', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      await conversation.say(SAY.cancel);
      const reply = await conversation.say(text.stop_no);
      assertSaid(reply, [text.carry_on, prompt()]);
    });
  });

  const instructionWaits = waits.filter(([id]) => fix.steps.some((s) => s.id === id && s.kind === 'instruction'));
  // Some fixes (the live status check) have no instruction steps at all.
  if (instructionWaits.length > 0) describe.each(instructionWaits)('at instruction step %s', (stepId, index) => {
    const step = fix.steps.find((s) => s.id === stepId) as InstructionStep;

    test('"I can\'t find it" shows the step\'s help; a second time moves on', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      const first = await conversation.say(text.choice_cant_find);
      assertSaid(first, [step.help]);
      expect(first.buttons).toEqual([text.choice_done, text.choice_cant_find, text.choice_already]);
      const second = await conversation.say(text.choice_cant_find);
      assertSaid(second, [text.still_cant_find, ...transcript[index + 1]!.expect]);
    });

    test('"It was already like that" gets its own reply and moves on', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      const reply = await conversation.say(text.choice_already);
      assertSaid(reply, [step.already ?? text.already_ok, ...transcript[index + 1]!.expect]);
    });

    test('an answer that is none of the buttons asks again', async () => {
      const { conversation } = await playTo(fix, path, index + 1);
      const reply = await conversation.say('purple elephant');
      assertSaid(reply, [text.step_reprompt]);
      expect(reply.buttons).toHaveLength(3);
    });
  });
});

test('the walk covers every fix, every answer of every question and every check outcome', () => {
  expect(content.fixes).toHaveLength(8);
  for (const fix of content.fixes) {
    const paths = allPaths(fix, (s) => outcomesOf(s.check));
    for (const step of fix.steps) {
      const values = step.kind === 'question' ? step.choices.map((c) => c.value) : step.kind === 'check' ? outcomesOf(step.check) : [];
      for (const value of values) expect(paths.some((p) => p[step.id] === value)).toBe(true);
    }
  }
});
