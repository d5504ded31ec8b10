import type { CheckStep, FixDefinition, Messages, Step } from '../../src/content/types';
import type { ServiceStatus } from '../../src/status';
import type { TestConversation, Turn } from '../support/test-bot';

/** One way through a fix: the answer to every question and the outcome of every check. */
export type Path = Record<string, string>;

/** Every combination of question answers and check outcomes a fix can take. */
export function allPaths(fix: FixDefinition, outcomes: (step: CheckStep) => readonly string[]): Path[] {
  let paths: Path[] = [{}];
  for (const step of fix.steps) {
    const options = step.kind === 'question' ? step.choices.map((c) => c.value) : step.kind === 'check' ? outcomes(step) : [];
    if (options.length === 0) continue;
    paths = paths.flatMap((p) => (holds(step, p) ? options.map((o) => ({ ...p, [step.id]: o })) : [p]));
  }
  return paths;
}

export function holds(step: Step, path: Path): boolean {
  return conditionMet(step.when ?? {}, path);
}

function conditionMet(condition: Record<string, readonly string[]>, path: Path): boolean {
  return Object.entries(condition).every(([id, accepted]) => accepted.includes(path[id] ?? ''));
}

/** Whether, along this path, the fix found nothing to change and skips "is it working now?". */
export function skipsVerify(fix: FixDefinition, path: Path): boolean {
  return (fix.skipVerifyWhen ?? []).some((condition) => conditionMet(condition, path));
}

/** The start of a template: everything before its first placeholder. */
export function fixedPart(template: string): string {
  return template.split('{')[0]!.trim();
}

/** How the walker makes each check outcome happen. */
export const STORAGE_START: Record<string, string> = {
  enough: 'my backup is 1 GB and I have 5 GB free',
  short: 'my backup is 3.4 GB and I have 5 GB free',
  skipped: '',
};

export const STATUS: Record<string, ServiceStatus> = {
  available: { state: 'available', checkedAt: 0 },
  degraded: { state: 'degraded', checkedAt: 0, events: [{ statusType: 'Outage', message: 'Some users cannot back up' }] },
  unknown: { state: 'unknown', reason: 'test' },
};

export interface Expectation {
  /** What the user says to get here ('' = the start of the fix). */
  said: string;
  /** Texts the bot must have said in reply. */
  expect: string[];
  /** The step the bot is now waiting on (undefined when it only talked). */
  waitingOn?: string;
}

/**
 * Computes, from the YAML alone, what the conversation must look like along
 * `path`: for each user turn, what the bot must say back. The engine is not
 * consulted, so the test compares the two.
 */
export function expectedTranscript(fix: FixDefinition, path: Path, messages: Messages): Expectation[] {
  const turns: Expectation[] = [{ said: '', expect: [fix.intro] }];
  const current = () => turns[turns.length - 1]!;
  for (const step of fix.steps) {
    if (!holds(step, path)) continue;
    if (step.kind === 'message') current().expect.push(step.say);
    else if (step.kind === 'instruction') {
      current().expect.push(step.say);
      current().waitingOn = step.id;
      turns.push({ said: messages.text.choice_done, expect: [] });
    } else if (step.kind === 'question') {
      current().expect.push(step.say);
      current().waitingOn = step.id;
      turns.push({ said: step.choices.find((c) => c.value === path[step.id])!.label, expect: [] });
    } else if (step.check === 'storage-space') {
      const outcome = path[step.id]!;
      if (outcome === 'skipped') {
        current().expect.push(step.text.ask_backup!);
        current().waitingOn = step.id;
        turns.push({ said: step.text.skip_label!, expect: [] });
      }
      current().expect.push(fixedPart(step.text[outcome]!));
    } else {
      current().expect.push(fixedPart(step.text[path[step.id]!]!));
    }
  }
  if (skipsVerify(fix, path)) {
    // Nothing was changed, so the bot moves straight on to the next fix.
    current().expect.push(fixedPart(messages.text.move_on));
    current().waitingOn = undefined;
  } else {
    current().expect.push(fix.verify ?? messages.text.verify);
    current().waitingOn = 'verify';
  }
  return turns;
}

/** The message that starts `fix` along `path` in a StubNlu conversation. */
export function startMessage(fix: FixDefinition, path: Path): string {
  const storageStep = fix.steps.find((s) => s.kind === 'check' && s.check === 'storage-space');
  const sizes = storageStep ? STORAGE_START[path[storageStep.id]!] ?? '' : '';
  return `#${fix.intent} ${sizes}`.trim();
}

export function prepare(conversation: TestConversation, fix: FixDefinition, path: Path): void {
  const statusStep = fix.steps.find((s) => s.kind === 'check' && s.check === 'apple-status');
  if (statusStep) conversation.status = STATUS[path[statusStep.id]!]!;
}

export function assertSaid(turn: Turn, expected: readonly string[]): void {
  for (const text of expected) {
    if (!turn.text.includes(text)) {
      throw new Error(`expected the bot to say:\n  ${text}\nbut it said:\n  ${turn.text.replace(/\n/g, '\n  ')}`);
    }
  }
}
