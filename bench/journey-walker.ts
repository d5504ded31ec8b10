/**
 * A simulated user for the journey benches: walks a fix to success, or all
 * of them to escalation, answering whatever the bot waits on with typed
 * words (never a button label), and checks the journey ended where it
 * should. Transport-free: a `send` function says one thing and resolves to
 * the bot's replies. test/integration/typed-journeys uses the same typed
 * user (`typedReply`) over the real server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fill } from '../src/dialogs/text';
import { PROJECT_ROOT } from '../src/project';

const DIALOGS = join(PROJECT_ROOT, 'dialogs');
const read = <T>(file: string): T => parseYaml(readFileSync(join(DIALOGS, file), 'utf8')) as T;

/** What a reply looks like to a user: its text and its buttons. */
export interface ReplyActivity {
  type?: string;
  text?: string;
  suggestedActions?: { actions?: Array<{ title?: unknown; value?: unknown }> };
}

/** One thing said; resolves to the message activities the bot answered with. */
export type Send = (text: string) => Promise<ReplyActivity[]>;

interface Fix {
  id: string;
  title: string;
  intro: string;
}

const text = read<{ text: Record<string, string> }>('messages.yaml').text;
const LABELS = new Set(Object.values(text));
const FIX_IDS = ['icloud-access', 'icloud-storage', 'manual-backup', 'apple-status', 'restart-iphone', 'update-software', 'exclude-videos', 'delete-old-backup'];
const FIXES: Fix[] = FIX_IDS.map((id) => read<Fix>(`${id}.yaml`));

/** How people say each thing (never a label), in turn. */
export const SAYINGS = {
  done: ['yes done', 'ok did that', 'yep, done that', 'ok next', 'all done', 'did it 👍', 'ok switched it', 'finished that step'],
  stillFailing: ['no joy', 'nope, still failing', 'no luck', 'still the same error', 'nah it got stuck again', 'no, same problem'],
  worked: ['it worked now!', 'yes it worked!!', 'yep, all backed up now', 'it finished this time', 'yes, finally'],
  faceId: ['mine has face id'],
  goAhead: ['yes go ahead, delete it'],
  backupSize: ['it says 3.4 gb'],
  freeSpace: ['i have about 1 gb left'],
  noPerson: ['no thanks, i will write to them myself'],
  noRating: ['nah', 'no thanks', 'not now'],
};

/** A first message naming each solvable fix's symptom; the status fix solves nothing without an outage. */
const SYMPTOMS = new Map<string, string>([
  ['icloud-access', "whatsapp isn't even in my icloud apps list"],
  ['icloud-storage', 'it keeps saying there is not enough icloud storage'],
  ['manual-backup', 'how do i start a backup myself right now'],
  ['restart-iphone', 'would turning my phone off and on again help'],
  ['update-software', 'do i need to update ios for the backup to work'],
  ['exclude-videos', 'backup always gets stuck on the videos'],
  ['delete-old-backup', 'can i delete my old whatsapp backup from icloud and start fresh'],
]);
const GENERIC = 'my whatsapp just will not back up to icloud anymore';

/** Journey n: one of the seven solvable fixes solved, or (every eighth) all eight tried and escalated. */
export function journeyFor(n: number): { first: string; succeedAt: string | undefined } {
  const solvable = [...SYMPTOMS.keys()];
  const k = n % (solvable.length + 1);
  if (k === solvable.length) return { first: GENERIC, succeedAt: undefined };
  return { first: SYMPTOMS.get(solvable[k]!)!, succeedAt: solvable[k]! };
}

/** A turn as a user sees it: the messages' text and the buttons offered. */
export interface Seen {
  text: string;
  buttons: readonly string[];
}

/** What the typed user remembers between turns: how far through each list of sayings, and the fix it is in. */
export interface TypedUser {
  said: number;
  /** The fix whose intro came last. */
  current: string;
  /** The fix after which the user reports success; undefined: nothing works. */
  succeedAt: string | undefined;
}

/**
 * What a user who reads the screen types next, in their own words (never a
 * button label), or undefined when the bot waits on nothing this user knows.
 */
export function typedReply(turn: Seen, user: TypedUser): string | undefined {
  for (const f of FIXES) if (turn.text.includes(f.intro)) user.current = f.id;
  const say = (list: readonly string[]) => list[user.said++ % list.length]!;
  const b = turn.buttons;
  if (b.includes(text.handoff_no!)) return say(SAYINGS.noPerson);
  if (b.includes(text.csat_skip!)) return say(SAYINGS.noRating);
  if (b.includes(text.choice_done!)) return say(SAYINGS.done);
  if (b.includes(text.verify_yes!)) return user.current === user.succeedAt ? say(SAYINGS.worked) : say(SAYINGS.stillFailing);
  if (turn.text.includes('Home button')) return say(SAYINGS.faceId);
  if (b.some((x) => /go ahead/i.test(x))) return say(SAYINGS.goAhead);
  if (/free\?/.test(turn.text) || /still free/.test(turn.text)) return say(SAYINGS.freeSpace);
  if (b.length === 1) return say(SAYINGS.backupSize);
  return undefined;
}

/** Whether `words` is one of the bot's button labels (a typed user never types one). */
export function isButtonLabel(words: string): boolean {
  return LABELS.has(words);
}

function seen(activities: ReplyActivity[]): Seen {
  const messages = activities.filter((a) => a.type === 'message');
  return {
    text: messages.map((a) => a.text ?? '').join('\n'),
    buttons: messages.flatMap((a) => (a.suggestedActions?.actions ?? []).map((b) => String(b.title ?? b.value))),
  };
}

/** Walks one journey; resolves to the number of turns, or rejects with what went wrong and the transcript. */
export async function walkJourney(n: number, send: Send): Promise<number> {
  const { first, succeedAt } = journeyFor(n);
  const transcript: string[] = [];
  const fail = (why: string): never => {
    throw new Error(`journey ${n}: ${why}\n${transcript.slice(-12).join('\n')}`);
  };
  const user: TypedUser = { said: 0, current: '', succeedAt };
  const fixes: string[] = [];
  const turns: Seen[] = [];
  let words = first;
  for (let guard = 0; guard < 120; guard++) {
    transcript.push(`> ${words}`);
    const turn = seen(await send(words));
    transcript.push(`< ${turn.text} [${turn.buttons.join(' | ')}]`);
    turns.push(turn);
    for (const bad of [text.error!, text.stop_confirm!, text.step_reprompt!]) if (turn.text.includes(bad)) fail(`the bot said ${JSON.stringify(bad.slice(0, 40))}`);
    for (const f of FIXES) if (turn.text.includes(f.intro)) fixes.push(f.id);
    if (turn.buttons.length === 0) break;
    words = typedReply(turn, user) ?? fail('the walker does not know what to say');
    if (isButtonLabel(words)) fail(`"${words}" is a button label`);
  }
  const last = turns[turns.length - 1]!;
  if (last.buttons.length > 0) fail('the conversation did not end');
  if (succeedAt === undefined) {
    // Escalation: every fix tried, the support links and a person offered, declined.
    if (fixes.join() !== FIX_IDS.join()) fail(`tried ${fixes.join()} instead of every fix`);
    const escalated = turns[turns.length - 2]!;
    if (!escalated.text.includes(text.all_tried!) || !escalated.text.includes(text.handoff_offer_escalation!)) fail('no escalation');
    if (last.text !== text.handoff_declined) fail('did not end declining a person');
  } else {
    const title = FIXES.find((f) => f.id === succeedAt)!.title;
    if (fixes[0] !== succeedAt) fail(`started at ${fixes[0]} instead of ${succeedAt}`);
    const solved = turns.find((t) => t.text.includes(fill(text.solved!, { title })));
    if (!solved?.text.includes(text.csat_ask!)) fail('never told which fix solved it, with the rating question');
    if (last.text !== text.csat_skipped) fail('did not end skipping the rating');
  }
  return turns.length;
}
