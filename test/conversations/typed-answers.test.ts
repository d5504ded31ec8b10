import { fill } from '../../src/dialogs/text';
import type { FixDefinition, InstructionStep, QuestionStep } from '../../src/content/types';
import { realContent, TestConversation } from '../support/test-bot';
import type { Turn } from '../support/test-bot';

/**
 * Users type. Every kind of prompt, answered in words people use rather than
 * the button labels, through the real classifier and answer model.
 */
const { content } = realContent();
const { messages } = content;
const text = messages.text;
const fix = (id: string): FixDefinition => content.fixes.find((f) => f.id === id)!;
const step = <T>(fixId: string, stepId: string): T => fix(fixId).steps.find((s) => s.id === stepId) as T;
const solvedBy = (fixId: string) => fill(text.solved, { title: fix(fixId).title });
const STEP_BUTTONS = [text.choice_done, text.choice_cant_find, text.choice_already];

const access = (i: number) => fix('icloud-access').steps[i] as InstructionStep;
const homeButton = step<QuestionStep>('restart-iphone', 'home-button');
const dotColour = step<QuestionStep>('apple-status', 'dot-colour');
const storage = fix('icloud-storage').steps[0]!;
const askBackup = storage.kind === 'check' ? storage.text.ask_backup! : '';
const askFree = storage.kind === 'check' ? storage.text.ask_free! : '';
const skipped = storage.kind === 'check' ? storage.text.skipped! : '';
const whereBackup = storage.kind === 'check' ? storage.text.where_backup! : '';
const whereFree = storage.kind === 'check' ? storage.text.where_free! : '';
const storageText = storage.kind === 'check' ? storage.text : {};

/** A conversation at the first instruction step of fix 1 ("open iCloud"). */
async function atInstruction(): Promise<TestConversation> {
  const c = new TestConversation();
  expect((await c.say("my whatsapp won't back up to icloud")).text).toContain(access(0).say);
  return c;
}

/** At fix 1's "did the backup finish?", having done every step. */
async function atVerify(): Promise<TestConversation> {
  const c = await atInstruction();
  for (let i = 0; i < fix('icloud-access').steps.length; i++) await c.say('done');
  return c;
}

async function atHomeButton(): Promise<TestConversation> {
  const c = new TestConversation();
  expect((await c.say('should i try rebooting my phone?')).text).toContain(homeButton.say);
  return c;
}

async function atDotColour(): Promise<TestConversation> {
  const c = new TestConversation();
  c.status = { state: 'unknown', reason: 'no answer from Apple' };
  expect((await c.say('is icloud down right now?')).text).toContain(dotColour.say);
  return c;
}

async function atSize(): Promise<TestConversation> {
  const c = new TestConversation();
  expect((await c.say('it says there is not enough icloud storage')).text).toContain(askBackup);
  return c;
}

function expectNoStop(turn: Turn): void {
  expect(turn.text).not.toContain(text.stop_confirm);
  expect(turn.text).not.toContain(text.cancelled);
}

describe('at an instruction step', () => {
  test.each(['done', 'ok did that', 'yep, switched it on', 'ok next', '✅'])('"%s" is the step done', async (words) => {
    const c = await atInstruction();
    expect((await c.say(words)).text).toContain(access(1).say);
  });

  test.each(["where's that?", "i can't find the icloud bit", "i don't have that option"])('"%s" gets the step\'s own help', async (words) => {
    const c = await atInstruction();
    const turn = await c.say(words);
    expect(turn.text).toContain(access(0).help);
    expect(turn.buttons).toEqual(STEP_BUTTONS);
  });

  test.each(['it was already on', 'already done that earlier'])('"%s" is "already like that"', async (words) => {
    const c = await atInstruction();
    expect((await c.say(words)).text).toContain(text.already_ok);
  });

  test.each(["i deleted some old photos and it's working now!", 'omg it worked, backup done', 'fixed! thanks'])(
    'a success report ("%s") ends the fix as solved, asking nothing more of it',
    async (words) => {
      const c = await atInstruction();
      const turn = await c.say(words);
      expect(turn.text).toContain(solvedBy('icloud-access'));
      expect(turn.text).not.toContain(access(1).say);
      expect(turn.buttons).toEqual([]);
    },
  );

  test.each(['did that, still stuck', 'switched it on but still failing'])('a failure report ("%s") counts as done and moves on', async (words) => {
    const c = await atInstruction();
    const turn = await c.say(words);
    expect(turn.text).toContain(access(1).say);
    expect(turn.text).not.toContain(text.step_reprompt);
  });

  test.each(['no joy', 'nah, nothing', 'nope', 'no'])('a negative answer ("%s") never cancels: the fix goes on', async (words) => {
    const c = await atInstruction();
    const turn = await c.say(words);
    expectNoStop(turn);
    expect(turn.buttons).toEqual(STEP_BUTTONS);
  });

  test('"I have 2 GB free" is not button 2', async () => {
    const c = await atInstruction();
    expect((await c.say('I have 2 GB free')).text).not.toContain(access(0).help);
  });

  test('"help" gives the general help and asks the same step again', async () => {
    const c = await atInstruction();
    const turn = await c.say('help');
    expect(turn.text).toContain(text.help);
    expect(turn.text).toContain(access(0).say);
    expect(turn.text).not.toContain(access(0).help);
  });
});

describe('stopping mid-fix is deliberate', () => {
  test('"stop" asks first; "no, keep going" carries on at the same step', async () => {
    const c = await atInstruction();
    const asked = await c.say('stop');
    expect(asked.text).toContain(text.stop_confirm);
    expect(asked.buttons).toEqual([text.stop_yes, text.stop_no]);
    const back = await c.say('no, keep going');
    expect(back.text).toContain(text.carry_on);
    expect(back.text).toContain(access(0).say);
    expect((await c.say('done')).text).toContain(access(1).say);
  });

  test('"start over", then "yes please", stops and shows the menu', async () => {
    const c = await atInstruction();
    await c.say('start over');
    const stopped = await c.say('yes please');
    expect(stopped.text).toContain(text.cancelled);
    expect(stopped.buttons).toEqual(messages.menu.map((m) => m.label));
  });
});

describe('reprompts are bounded', () => {
  test('two misses say what is needed; the third offers the buttons plus a person, who is then offered', async () => {
    const c = await atInstruction();
    for (const words of ['purple elephant', 'banana phone']) {
      const turn = await c.say(words);
      expect(turn.text).toBe(text.step_reprompt);
      expect(turn.buttons).toEqual(STEP_BUTTONS);
    }
    const third = await c.say('xylophone');
    expect(third.text).toBe(text.reprompt_person);
    expect(third.buttons).toEqual([...STEP_BUTTONS, text.talk_to_person]);
    const person = await c.say(text.talk_to_person);
    expect(person.text).toContain(text.human);
    expect(person.text).toContain(access(0).say);
  });
});

describe('at a yes/no question with answers of its own (Home button?)', () => {
  const faceIdSteps = step<InstructionStep>('restart-iphone', 'power-off-face-id').say;
  const homeSteps = step<InstructionStep>('restart-iphone', 'power-off-home').say;

  test.each(['mine has face id', 'no', "nope, there's no button", 'iphone 13', 'its an iphone 15 pro max'])('"%s" takes the Face ID branch', async (words) => {
    const c = await atHomeButton();
    const turn = await c.say(words);
    expect(turn.text).toContain(faceIdSteps);
    expectNoStop(turn);
  });

  test.each(['yes', 'yeah it has one', 'it has the round button', 'iPhone 8', "it's an SE"])('"%s" takes the Home button branch', async (words) => {
    const c = await atHomeButton();
    expect((await c.say(words)).text).toContain(homeSteps);
  });

  test('"not sure" explains how to tell and asks again', async () => {
    const c = await atHomeButton();
    const turn = await c.say('not sure tbh');
    expect(turn.text).toContain(homeButton.unsure!);
    expect(turn.buttons).toEqual(homeButton.choices.map((ch) => ch.label));
  });

  test('a success report ends the fix as solved', async () => {
    const c = await atHomeButton();
    expect((await c.say("actually it's working now")).text).toContain(solvedBy('restart-iphone'));
  });
});

describe('at a question about a colour (the status dot)', () => {
  const waitForApple = step<{ say: string }>('apple-status', 'wait-for-apple').say;
  test.each(['yep all green', 'green', 'looks green to me'])('"%s" is green: Apple is fine, on to the next fix', async (words) => {
    const c = await atDotColour();
    const turn = await c.say(words);
    expect(turn.text).toContain(text.move_on);
    expect(turn.text).not.toContain(waitForApple);
  });

  test.each(["it's yellow", 'red', "no it's orange", 'not green'])('"%s" is another colour', async (words) => {
    const c = await atDotColour();
    expect((await c.say(words)).text).toContain(waitForApple);
  });
});

describe('at "did the backup finish?"', () => {
  const next = fix('icloud-storage');
  test.each(['still the same error', 'nope', 'no luck', 'nah still failing'])('"%s" moves on to the next fix', async (words) => {
    const c = await atVerify();
    const turn = await c.say(words);
    expect(turn.text).toContain(next.intro);
    expectNoStop(turn);
  });

  test.each(['yes!!', 'it worked', 'yep it finished', 'done'])('"%s" is a yes: the fix solved it', async (words) => {
    const c = await atVerify();
    expect((await c.say(words)).text).toContain(solvedBy('icloud-access'));
  });

  test("\"haven't tried yet\" explains how to check and asks again", async () => {
    const c = await atVerify();
    const turn = await c.say("haven't tried yet");
    expect(turn.text).toContain(text.verify_unsure);
    expect(turn.buttons).toEqual([text.verify_yes, text.verify_no]);
  });

  test('"I have 2 GB free" is not an answer by number', async () => {
    const c = await atVerify();
    expect((await c.say('I have 2 GB free')).text).not.toContain(solvedBy('icloud-access'));
  });
});

describe('at the size question of fix 2', () => {
  test.each(["I don't know", 'no idea', 'skip', 'pass', 'idk', 'it just says never', 'no backup yet'])('"%s" takes the skip path', async (words) => {
    const c = await atSize();
    const turn = await c.say(words);
    expect(turn.text).toContain(skipped);
    expectNoStop(turn);
  });

  test('a size in free text is read ("about 2.3 gigs"), then the free space is asked', async () => {
    const c = await atSize();
    expect((await c.say('about 2.3 gigs i think')).text).toContain(askFree);
  });

  test('a success report ends the fix as solved', async () => {
    const c = await atSize();
    expect((await c.say('oh wait, it works now')).text).toContain(solvedBy('icloud-storage'));
  });
});

describe('asking where to look at the size question of fix 2', () => {
  const askedWhere = (turn: Turn, where: string) => {
    expect(turn.text).toContain(where);
    expect(turn.text).not.toContain(skipped);
    expect(turn.buttons).toEqual([storageText.skip_label]);
    expectNoStop(turn);
  };

  test.each(['how do i see that?', 'where do i find that', 'where is that', 'where does it say that', 'not sure where to look', 'how do I check that?', "i can't find it"])(
    '"%s" at the backup size gets directions and the question again; a size then carries on',
    async (words) => {
      const c = await atSize();
      askedWhere(await c.say(words), whereBackup);
      expect((await c.say('ok it says 4.1 GB')).text).toContain(askFree);
    },
  );

  test.each(["where's that?", 'how do i see how much is free', 'which screen is that on'])('"%s" at the free space gets directions for the free space', async (words) => {
    const c = await atSize();
    expect((await c.say('3.4 gb')).text).toContain(askFree);
    askedWhere(await c.say(words), whereFree);
    expect((await c.say('5 gb')).text).toContain('Your backup is 3.4 GB');
  });

  test.each(["still can't find it", 'where is that though', 'skip', "don't know"])('after the directions, "%s" skips (no one is kept on a number they cannot find)', async (words) => {
    const c = await atSize();
    askedWhere(await c.say('where do i find that'), whereBackup);
    const turn = await c.say(words);
    expect(turn.text).toContain(skipped);
    expectNoStop(turn);
  });
});

describe('sizes typed at a step that asked something else', () => {
  const noted = (backup: string, free: string) => fill(text.sizes_noted_both, { backup, free });
  /** Confirms fix 1's steps from `from` on, and says it did not help: fix 2 starts. */
  const finishFix1 = async (c: TestConversation, from = 0): Promise<Turn> => {
    for (let i = from; i < fix('icloud-access').steps.length; i++) await c.say('done');
    return c.say('no, still failing');
  };

  test.each(['3.2gb free and backup is 4gb', 'ok so i have 3.2gb free and the backup is 4gb', 'it says 3.2gb free and backup is 4gb', '3.2GB free. Backup 4GB', 'i see 3.2 gb free and whatsapp backup 4 gb'])(
    '"%s" at fix 1 is not Done: noted, the same step again, and fix 2 later uses the numbers without asking',
    async (words) => {
      const c = await atInstruction();
      const turn = await c.say(words);
      expect(turn.text).toContain(noted('4 GB', '3.2 GB'));
      expect(turn.text).toContain(text.sizes_for_later);
      expect(turn.text).toContain(access(0).say);
      expect(turn.text).not.toContain(access(1).say);
      expect(turn.text).not.toContain(text.switch_fix);
      expect(turn.buttons).toEqual(STEP_BUTTONS);
      const fix2 = await finishFix1(c);
      expect(fix2.text).toContain(fix('icloud-storage').intro);
      expect(fix2.text).toContain('Your backup is 4 GB');
      expect(fix2.text).toContain('iCloud only has 3.2 GB');
      expect(fix2.text).not.toContain(askBackup);
      expect(fix2.text).not.toContain(askFree);
    },
  );

  test('in fix 2 after a skip, one size is noted alone; the other then completes the comparison', async () => {
    const c = await atSize();
    await c.say('skip');
    const one = await c.say('the backup is 4gb');
    expect(one.text).toContain(fill(text.sizes_noted_backup, { backup: '4 GB' }));
    expect(one.text).not.toContain('Your backup is');
    const both = await c.say('and i have 10 gb free');
    expect(both.text).toContain(fill(text.sizes_noted_free, { free: '10 GB' }));
    expect(both.text).toContain('Your backup is 4 GB');
  });

  test('one size given is noted alone; fix 2 asks only for the other', async () => {
    const c = await atInstruction();
    const turn = await c.say('my backup is 5.1 GB btw');
    expect(turn.text).toContain(fill(text.sizes_noted_backup, { backup: '5.1 GB' }));
    expect(turn.text).toContain(access(0).say);
    const fix2 = await finishFix1(c);
    expect(fix2.text).not.toContain(askBackup);
    expect(fix2.text).toContain(askFree);
  });

  test('a clear answer with a size counts ("done, backup is 3.4gb") and the size is kept silently', async () => {
    const c = await atInstruction();
    const turn = await c.say('done, backup is 3.4gb');
    expect(turn.text).toContain(access(1).say);
    expect(turn.text).not.toContain(text.sizes_for_later);
    const fix2 = await finishFix1(c, 1);
    expect(fix2.text).not.toContain(askBackup);
    expect(fix2.text).toContain(askFree);
  });

  test.each(['3.2gb free and backup is 4gb', 'found it: backup 4 GB, 3.2 GB free'])('after skipping the sizes in fix 2, "%s" at its next step is compared at once, then the step is asked again', async (words) => {
    const c = await atSize();
    expect((await c.say('skip')).text).toContain(skipped);
    const turn = await c.say(words);
    expect(turn.text).toContain(noted('4 GB', '3.2 GB'));
    expect(turn.text).toContain('Your backup is 4 GB, so WhatsApp wants about 8.2 GB free');
    expect(turn.text).toContain(text.sizes_back_to_step);
    expect(turn.text).toContain(step<InstructionStep>('icloud-storage', 'make-room').say);
    expect(turn.text).not.toContain(text.sizes_for_later);
    expect(turn.text).not.toContain(text.step_reprompt);
    expect(turn.buttons).toEqual(STEP_BUTTONS);
  });
});
