import { fill } from '../../src/dialogs/text';
import { isButtonLabel, typedReply } from '../../bench/journey-walker';
import type { TypedUser } from '../../bench/journey-walker';
import { appleFeed, appleService, Conversation, messagesText, readContent, removeTempDirs, useBotWithFakeApple } from './harness';
import type { FixYaml, RunningBot, Turn } from './harness';

/**
 * Whole journeys over the real server, typed only: no answer is ever a
 * button label. What a user says depends on what the bot offers, the way a
 * person reads the screen.
 */
const text = messagesText();
const escalation = readContent<{ say: string; links: Array<{ url: string }> }>('escalation.yaml');
const FIXES: Array<FixYaml & { intent: string }> = [
  'icloud-access',
  'icloud-storage',
  'manual-backup',
  'apple-status',
  'restart-iphone',
  'update-software',
  'exclude-videos',
  'delete-old-backup',
].map((id) => readContent<FixYaml & { intent: string }>(`${id}.yaml`));
/** A first message naming each fix's symptom, in a user's words. */
const SYMPTOMS: Record<string, string> = {
  'icloud-access': "whatsapp isn't even in my icloud apps list",
  'icloud-storage': 'it keeps saying there is not enough icloud storage',
  'manual-backup': 'how do i start a backup myself right now',
  'apple-status': 'are apple servers down? backup wont go',
  'restart-iphone': 'would turning my phone off and on again help',
  'update-software': 'do i need to update ios for the backup to work',
  'exclude-videos': 'backup always gets stuck on the videos',
  'delete-old-backup': 'can i delete my old whatsapp backup from icloud and start fresh',
};

/**
 * Answers whatever the bot waits on, the way a user who reads the screen
 * types it, until it stops asking: `until` says when the user reports success.
 */
async function walk(c: Conversation, first: Turn, succeedAt: string | undefined): Promise<{ fixes: string[]; last: Turn; said: string[]; turns: Turn[] }> {
  const user: TypedUser = { said: 0, current: '', succeedAt };
  const fixes: string[] = [];
  const said: string[] = [];
  const turns: Turn[] = [first];
  let turn = first;
  for (let guard = 0; guard < 120; guard++) {
    for (const f of FIXES) if (turn.text.includes(f.intro)) fixes.push(f.id);
    if (turn.buttons.length === 0) return { fixes, last: turn, said, turns };
    const words = typedReply(turn, user);
    if (words === undefined) throw new Error(`the walker does not know what to say to:\n${c.dump()}`);
    expect(isButtonLabel(words)).toBe(false);
    said.push(words);
    turn = await c.say(words);
    turns.push(turn);
    expect(turn.status).toBe(200);
    expect(turn.text).not.toContain(text.stop_confirm);
    expect(turn.text).not.toContain(text.step_reprompt);
    expect(turn.text).not.toContain(text.error);
  }
  throw new Error(`the conversation did not end:\n${c.dump()}`);
}

afterAll(() => removeTempDirs());

describe('typed-only journeys over HTTP', () => {
  const running = useBotWithFakeApple();
  let bot: RunningBot;
  beforeAll(() => {
    bot = running.bot();
  });
  afterEach(() => expect(bot.errors).toEqual([]));

  test('a generic complaint walks all eight fixes, typed, escalates with the support links and a person offered, declined typed', async () => {
    const c = new Conversation(bot.channel);
    const { fixes, last, turns } = await walk(c, await c.say('my whatsapp just will not back up to icloud anymore'), undefined);
    expect(fixes).toEqual(FIXES.map((f) => f.id));
    const escalated = turns[turns.length - 2]!;
    expect(escalated.text).toContain(text.all_tried);
    expect(escalated.text).toContain(escalation.say);
    for (const link of escalation.links) expect(escalated.text).toContain(link.url);
    expect(escalated.text).toContain(text.handoff_offer_escalation);
    expect(last.text).toBe(text.handoff_declined);
  });

  // The status fix can only solve anything while Apple reports an outage: its own journey below.
  const solvable = FIXES.filter((f) => f.id !== 'apple-status');
  const storage = FIXES.find((f) => f.id === 'icloud-storage')!.steps[0]!.text!;

  test('sizes typed at fix 1\'s first step are noted (not taken as done), and fix 2 compares them without asking', async () => {
    const c = new Conversation(bot.channel);
    const first = await c.say('my whatsapp just will not back up to icloud anymore');
    const noted = await c.say('so it says 3.2gb free and the backup is 4gb');
    expect(noted.text).toContain(fill(text.sizes_noted_both!, { backup: '4 GB', free: '3.2 GB' }));
    expect(noted.text).toContain(FIXES[0]!.steps[0]!.say);
    expect(noted.buttons).toEqual(first.buttons);
    const { fixes, turns } = await walk(c, noted, 'icloud-storage');
    // Fix 1 began before the walk: the first fix the walk enters is fix 2, after fix 1 was walked to its end.
    expect(first.text).toContain(FIXES[0]!.intro);
    expect(fixes[0]).toBe('icloud-storage');
    const all = turns.map((t) => t.text).join('\n');
    expect(all).toContain('Your backup is 4 GB, so WhatsApp wants about 8.2 GB free');
    expect(all).not.toContain(storage.ask_backup);
    expect(all).not.toContain(storage.ask_free);
  });

  test('asking where to look at the size questions gets directions each time, then the sizes are compared', async () => {
    const c = new Conversation(bot.channel);
    expect((await c.say(SYMPTOMS['icloud-storage']!)).text).toContain(storage.ask_backup);
    expect((await c.say('where do i find that?')).text).toContain(storage.where_backup);
    expect((await c.say('it says 3.4 gb')).text).toContain(storage.ask_free);
    expect((await c.say('how do i see that')).text).toContain(storage.where_free);
    const compared = await c.say('i have about 1 gb left');
    expect(compared.text).toContain('Your backup is 3.4 GB');
    expect(compared.text).not.toContain(storage.skipped);
  });

  test.each(solvable.map((f) => [f.id, f] as const))('a user whose problem fix %s solves gets there by typing, and is told which fix did it', async (id, f) => {
    await solvedByTyping(bot, id, f);
  });
});

describe('typed-only, while Apple reports an iCloud Backup outage', () => {
  const running = useBotWithFakeApple((apple) =>
    apple.respond(200, appleFeed([appleService('iCloud Backup', [{ statusType: 'Outage', eventStatus: 'ongoing', message: 'Some users cannot back up' }])])),
  );

  test('a user asking whether Apple is down is told, waits, and reports success by typing', async () => {
    await solvedByTyping(running.bot(), 'apple-status', FIXES.find((f) => f.id === 'apple-status')!);
  });
});

async function solvedByTyping(bot: RunningBot, id: string, f: FixYaml): Promise<void> {
  const c = new Conversation(bot.channel);
  const first = await c.say(SYMPTOMS[id]!);
  expect(first.text).toContain(f.intro);
  const { fixes, last, turns } = await walk(c, first, id);
  expect(fixes[0]).toBe(id);
  // Solved, then the optional rating, declined by typing.
  const solved = turns.find((t) => t.text.includes(fill(text.solved!, { title: f.title })))!;
  expect(solved.text).toContain(text.csat_ask);
  expect(last.text).toBe(text.csat_skipped);
  expect(bot.errors).toEqual([]);
}
