import { readdirSync } from 'node:fs';
import { fill } from '../../src/dialogs/text';
import {
  Conversation,
  DIALOGS,
  appleFeed,
  appleService,
  messagesText,
  oneMessage,
  readContent,
  removeTempDirs,
  startBot,
  startFakeApple,
  useBotWithFakeApple,
} from './harness';
import type { FakeApple, FixYaml, RunningBot, Turn } from './harness';

const text = messagesText();
const menu = readContent<{ menu: Array<{ label: string }> }>('messages.yaml').menu.map((m) => m.label);
const escalation = readContent<{ say: string; after: string; links: Array<{ label: string; url: string }> }>('escalation.yaml');
const fixes: FixYaml[] = readdirSync(DIALOGS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readContent<FixYaml & { kind: string }>(f))
  .filter((d) => d.kind === 'fix')
  .sort((a, b) => a.order - b.order);
const fix = (id: string): FixYaml => fixes.find((f) => f.id === id)!;
const step = (fixId: string, stepId: string) => fix(fixId).steps.find((s) => s.id === stepId)!;

const STEP_BUTTONS = [text.choice_done, text.choice_cant_find, text.choice_already];
const VERIFY_BUTTONS = [text.verify_yes, text.verify_no];
const SKIP = step('icloud-storage', 'space-check').text!.skip_label!;

/** The answer a persistent but unlucky user gives to whatever the bot offers. */
function unluckyAnswer(buttons: string[]): string {
  for (const wanted of [text.choice_done, text.verify_no, SKIP, text.handoff_no]) if (buttons.includes(wanted)) return wanted;
  return buttons[0]!;
}

/** How a fix opens: its heading (messages.yaml `fix_heading`), then its intro, in one message. */
function opening(f: FixYaml): string {
  return `${fill(text.fix_heading!, { title: f.title, order: f.order, total: fixes.length })}\n\n${f.intro}`;
}

afterAll(() => removeTempDirs());

describe('a conversation with the bot over real HTTP, through the loopback channel', () => {
  const running = useBotWithFakeApple();
  let bot: RunningBot;
  let apple: FakeApple;
  beforeAll(() => {
    bot = running.bot();
    apple = running.apple();
  });
  afterEach(() => expect(bot.errors).toEqual([]));

  test('a new member gets the welcome and the menu buttons at the connector', async () => {
    const c = new Conversation(bot.channel);
    const turn = await c.join();
    expect(turn.status).toBe(200);
    expect(turn.activities.map((a) => a.text)).toEqual([oneMessage(text.welcome, text.menu_prompt)]);
    expect(turn.buttons).toEqual(menu);
    expect(turn.activities.every((a) => a.conversation?.id === c.id)).toBe(true);
  });

  test('a user for whom nothing works is walked through all eight fixes in order, then escalated with the support links and offered a person', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    const turns: Turn[] = [await c.say("my whatsapp won't back up to icloud")];
    while (turns[turns.length - 1]!.buttons.length > 0) {
      if (turns.length > 100) throw new Error(`no end in sight after 100 turns:\n${c.dump()}`);
      turns.push(await c.say(unluckyAnswer(turns[turns.length - 1]!.buttons)));
    }
    const said = turns.flatMap((t) => t.activities.map((a) => a.text ?? ''));

    // Every fix ran, in YAML order, opening with its heading ("… (fix N of 8)") and intro.
    const everything = said.join('\n\n');
    const openedAt = fixes.map((f) => everything.indexOf(opening(f)));
    expect(openedAt.every((i) => i >= 0)).toBe(true);
    expect([...openedAt].sort((a, b) => a - b)).toEqual(openedAt);
    // "Did it work?" after every fix but the Apple check, which found Apple's side fine and moved straight on.
    expect(turns.filter((t) => t.buttons.join('|') === VERIFY_BUTTONS.join('|'))).toHaveLength(fixes.length - 1);
    expect(everything).toContain(text.move_on);

    const last = turns[turns.length - 2]!;
    expect(last.activities[0]!.text!.startsWith(text.all_tried)).toBe(true);
    expect(last.text).toContain(escalation.say);
    expect(last.text).toContain('https://support.apple.com/contact');
    expect(last.text).toContain('https://faq.whatsapp.com');
    expect(last.text).toContain('https://www.whatsapp.com/contact');
    expect(last.text).toContain(escalation.after);
    expect(last.activities.at(-1)!.text!.endsWith(text.handoff_offer_escalation)).toBe(true);
    expect(last.buttons).toEqual([text.handoff_yes, text.handoff_no]);
    expect(turns[turns.length - 1]!.text).toBe(text.handoff_declined);
  });

  test('sizes given up front are used at once: 3.4 GB backup, 5 GB free → 7 GB needed, about 2 GB to free; making room solves it', async () => {
    const c = new Conversation(bot.channel);
    const first = await c.say('icloud says not enough storage, my backup is 3.4 GB and only 5 GB free');
    expect(first.text).toContain(fix('icloud-storage').intro);
    expect(first.text).not.toContain(fix('icloud-access').intro);
    expect(first.text).toContain('Your backup is 3.4 GB, so WhatsApp wants about 7 GB free');
    expect(first.text).toContain('iCloud only has 5 GB');
    expect(first.text).toContain('free up about **2 GB**');
    // Both sizes were known, so neither was asked for: the make-room step is next.
    expect(first.buttons).toEqual(STEP_BUTTONS);
    expect(first.activities.map((a) => a.text)).toEqual([expect.stringMatching(/\(fix 2 of 8\)/)]);
    expect(first.activities[0]!.text!.endsWith(step('icloud-storage', 'make-room').say!)).toBe(true);

    const done = await c.say(text.choice_done!);
    expect(done.text).toBe(text.verify);
    expect(done.buttons).toEqual(VERIFY_BUTTONS);

    const solved = await c.say('yes');
    expect(solved.text).toBe(oneMessage(fill(text.solved!, { title: 'Make room in iCloud' }), text.csat_ask));
    expect(solved.buttons).toEqual(['1', '2', '3', '4', '5', text.csat_skip]);
  });

  test('"talk to a human" mid-fix asks to confirm; "no thanks" asks the same step again', async () => {
    const c = new Conversation(bot.channel);
    await c.say("my whatsapp won't back up to icloud");
    const atStep2 = await c.say(text.choice_done!);
    const drive = step('icloud-access', 'icloud-drive').say!;
    expect(atStep2.text).toBe(drive);

    const human = await c.say('talk to a human');
    expect(human.text).toBe(text.handoff_confirm);
    expect(human.buttons).toEqual([text.handoff_yes, text.handoff_no]);
    const declined = await c.say('no thanks');
    expect(declined.activities.map((a) => a.text)).toEqual([oneMessage(text.handoff_declined, drive)]);
    expect(declined.buttons).toEqual(STEP_BUTTONS);

    // The step really is still waiting: "Done" moves on to the step after it.
    const next = await c.say(text.choice_done!);
    expect(next.text).toBe(step('icloud-access', 'show-all').say);
  });

  test('"how does this work" mid-fix explains the chat, then asks the same step again', async () => {
    const c = new Conversation(bot.channel);
    await c.say("my whatsapp won't back up to icloud");
    const help = await c.say('how does this work');
    expect(help.activities.map((a) => a.text)).toEqual([oneMessage(text.help, text.help_resume, step('icloud-access', 'open-icloud').say!)]);
    expect(help.buttons).toEqual(STEP_BUTTONS);
    const next = await c.say(text.choice_done!);
    expect(next.text).toBe(step('icloud-access', 'icloud-drive').say);
  });

  test('"start over" mid-fix asks first, then cancels it and shows the menu; the fix does not carry on', async () => {
    const c = new Conversation(bot.channel);
    await c.say("my whatsapp won't back up to icloud");
    await c.say(text.choice_done!);
    const asked = await c.say('start over');
    expect(asked.activities.map((a) => a.text)).toEqual([text.stop_confirm]);
    expect(asked.buttons).toEqual([text.stop_yes, text.stop_no]);
    const cancelled = await c.say('yes please');
    expect(cancelled.activities.map((a) => a.text)).toEqual([oneMessage(text.cancelled, text.menu_prompt)]);
    expect(cancelled.buttons).toEqual(menu);

    const again = await c.say('start over');
    expect(again.activities.map((a) => a.text)).toEqual([oneMessage(text.nothing_to_cancel, text.menu_prompt)]);
    // A menu button starts afresh at that fix.
    const restarted = await c.say(menu[0]!);
    expect(restarted.text).toContain(fix('icloud-access').intro);
  });

  test('a retried activity (same id, POSTed again) gets 200 and no second set of replies', async () => {
    const c = new Conversation(bot.channel);
    const id = `retry-${c.id}`;
    const first = await c.say("my whatsapp won't back up to icloud", { id });
    expect(first.status).toBe(200);
    expect(first.activities.length).toBeGreaterThan(0);

    const retry = await c.say("my whatsapp won't back up to icloud", { id });
    expect(retry.status).toBe(200);
    expect(retry.activities).toEqual([]);
    // …and the conversation did not move: the first step is still the one waiting.
    const next = await c.say(text.choice_done!);
    expect(next.text).toBe(step('icloud-access', 'icloud-drive').say);
  });

  test('a retry that overlaps the original request is also answered only once', async () => {
    const c = new Conversation(bot.channel);
    const id = `overlap-${c.id}`;
    const [a, b] = await Promise.all([c.channel.sendText(c.id, menu[1]!, { id }), c.channel.sendText(c.id, menu[1]!, { id })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const turn = c.collect(a);
    const intros = turn.activities.filter((x) => x.text?.startsWith(opening(fix('icloud-storage'))));
    expect(intros).toHaveLength(1);
  });

  test('two messages of one conversation POSTed at once are both processed, one after the other', async () => {
    const c = new Conversation(bot.channel);
    await c.say("my whatsapp won't back up to icloud");
    const [a, b] = await Promise.all([c.channel.sendText(c.id, text.choice_done!), c.channel.sendText(c.id, text.choice_done!)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const turn = c.collect(a);
    // Had they raced over the stored state, both would have answered step 2 (or one would have failed).
    expect(turn.activities.map((x) => x.text)).toEqual([step('icloud-access', 'icloud-drive').say, step('icloud-access', 'show-all').say]);
  });
});

describe("fix 4 looks at Apple's system status live", () => {
  let bot: RunningBot;
  let apple: FakeApple;

  beforeEach(async () => {
    apple = await startFakeApple();
    bot = await startBot({ statusUrl: apple.url });
  });
  afterEach(async () => {
    await bot?.close();
    await apple?.close();
    expect(bot.errors).toEqual([]);
  });

  const texts = () => step('apple-status', 'live-status').text!;

  test('an ongoing Outage for iCloud Backup: the bot says Apple has a problem and quotes the event', async () => {
    apple.respond(
      200,
      appleFeed([
        appleService('App Store', [{ statusType: 'Outage', eventStatus: 'ongoing', message: 'Not this one' }]),
        appleService('iCloud Backup', [
          { statusType: 'Issue', eventStatus: 'resolved', message: 'An old issue, long fixed', startDate: '11/01/2025 08:00 PST' },
          { statusType: 'Outage', eventStatus: 'ongoing', message: 'Some users are unable to back up to iCloud.', startDate: '11/25/2025 08:00 PST' },
        ]),
      ]),
    );
    const c = new Conversation(bot.channel);
    const turn = await c.say('is icloud down');
    expect(apple.hits()).toBe(1);
    expect(turn.text).toContain(fix('apple-status').intro);
    expect(turn.text).toContain("Apple's system status reports a problem with **iCloud Backup** right now");
    expect(turn.text).toContain('Outage: Some users are unable to back up to iCloud.');
    expect(turn.text).not.toContain('An old issue');
    expect(turn.text).not.toContain('Not this one');
    expect(turn.text).not.toContain(step('apple-status', 'dot-colour').say);
    // A "typing" indicator went out while the bot looked.
    expect(c.channel.received(c.id).some((a) => a.type === 'typing')).toBe(true);
  });

  test('Apple status page unreachable (HTTP 500): the bot links the status page and asks whether the dot is green', async () => {
    apple.respond(500, 'Internal Server Error');
    const c = new Conversation(bot.channel);
    const turn = await c.say('is icloud down');
    expect(apple.hits()).toBe(1);
    expect(turn.text).toContain(texts().unknown);
    expect(turn.text).toContain('https://www.apple.com/support/systemstatus/');
    expect(turn.activities.at(-1)!.text).toBe(oneMessage(texts().unknown!, step('apple-status', 'dot-colour').say!));
    expect(turn.buttons).toEqual(["Yes, it's green", 'No, another colour']);

    const notGreen = await c.say('No, another colour');
    expect(notGreen.text).toContain(step('apple-status', 'wait-for-apple').say);
  });

  test('a message that arrives while a turn waits on Apple is processed after that turn, in order', async () => {
    const c = new Conversation(bot.channel);
    const gate = apple.hold();
    const first = c.channel.sendText(c.id, 'is icloud down');
    await gate.arrived; // the first turn is now mid-way, waiting for Apple
    const second = c.channel.sendText(c.id, text.choice_done!);
    await bot.messagesArrived(2);
    gate.release();
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const said = c.collect(a).activities.map((x) => x.text);
    expect(said).toEqual([
      // Said before the bot waits on Apple (with a typing indicator), so it is not held for what comes after.
      opening(fix('apple-status')),
      // Apple's side is fine, so nothing to retry: straight on. A symptom starts at its fix; the others follow in order.
      oneMessage(texts().available!, text.move_on, opening(fix('icloud-access')), step('icloud-access', 'open-icloud').say!),
      // The second message, processed after the first turn, answered fix 1's first step.
      step('icloud-access', 'icloud-drive').say,
    ]);
  });
});
