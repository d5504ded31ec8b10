import { foldWords } from '../../content/fold-words';
import type { IntentName, ParseResult } from '../../nlu/types';
import type { PromptKind, RecognizedAnswer } from './recognize-answer';

/** What the bot does with a message that arrives while it waits on a prompt. */
export type InFixAction =
  /** The prompt takes it: an option, a meaning it answers in its own way, or nothing (it asks again). */
  | { kind: 'answer'; recognized: RecognizedAnswer }
  /** The backup works now: the running fix ends as the one that solved it. */
  | { kind: 'solved' }
  | { kind: 'help' }
  | { kind: 'human' }
  /** A wish to stop: confirmed first while a fix runs. */
  | { kind: 'stop' }
  /** A clear new symptom: switch to the fix for it. */
  | { kind: 'switch'; intent: IntentName }
  /** Sizes given where the step asked something else ("3.2 GB free, backup 4 GB"): noted, and the step asked again. */
  | { kind: 'sizes' };

/**
 * How sure the intent classifier must be of help / a person / stop to
 * overrule an answer the answer model alone read. On the development answers
 * any value from 0.6 to 0.95 understands 93.8–93.9 % (never overruling:
 * 93.4 %); with an earlier, weaker classifier 0.6 took three answers for a
 * stop and 0.8 one, hence the margin.
 */
const SURE_REQUEST = 0.9;

/** What an intent of a first message does when it arrives in the middle of a conversation. */
type Move = 'help' | 'human' | 'stop' | 'switch' | 'nothing';

/** One table of what each intent does mid-conversation; fix intents (from content) switch. */
const MOVES: ReadonlyMap<IntentName, Move> = new Map<IntentName, Move>([
  ['help', 'help'],
  ['human_agent', 'human'],
  ['cancel', 'stop'],
  // Answers to the question on screen, not requests: handled by the prompt (or asked again).
  ['greeting', 'nothing'],
  ['thanks', 'nothing'],
  ['none', 'nothing'],
  ['backup_not_working', 'nothing'],
]);

export interface InFixInput {
  /** How the prompt waiting for an answer reads the message (`recognizeAnswer`); `none` when no prompt of ours waits. */
  recognized: RecognizedAnswer;
  parse: ParseResult;
  /** Route threshold of the intent classifier: below it nothing interrupts. */
  route: number;
  /** The intent of the fix that is running, if one is. */
  runningFix: IntentName | undefined;
  /** Intents that start a fix (from content). */
  fixIntents: ReadonlySet<IntentName>;
  /** The label of the "talk to a person" button the bot offers after repeated misunderstanding. */
  personLabel: string;
  /** The kind of the prompt waiting for an answer, if one of ours waits. */
  promptKind?: PromptKind;
  /** The fix that checks sizes (fix 2), and whether it is still to come in this run of fixes. */
  sizeCheck?: { intent: IntentName; ahead: boolean };
}

/** Prompts where sizes answer nothing, so sizes the user gives there are volunteered for the size check. */
const SIZES_VOLUNTEERED_AT: ReadonlySet<PromptKind> = new Set(['instruction', 'question', 'verify']);

/** Whether the message gives a size (of the backup or of free space) at a prompt that did not ask for one. */
export function volunteersSizes(parse: ParseResult, promptKind: PromptKind | undefined): boolean {
  return promptKind !== undefined && SIZES_VOLUNTEERED_AT.has(promptKind) && parse.entities.some((e) => e.entity === 'size' && e.role !== undefined);
}

/**
 * An answer that holds next to sizes: the label, one of the words of a
 * meaning ("done, backup is 4 GB"), or the answer model's reading ("I have 2
 * GB free and it still fails"). A button's own word ("ok", "got it") does
 * not: "ok so 3.2 GB free and backup is 4 GB" is a report of the sizes, not a
 * confirmation of the step.
 */
function clearAnswer(recognized: RecognizedAnswer): boolean {
  if (recognized.kind === 'meaning') return true;
  return recognized.kind === 'option' && !(recognized.by === 'words' && recognized.meaning === undefined);
}

/**
 * The in-conversation decision, as a pure function: an answer to the
 * question on screen wins over an interruption, success is understood at any
 * step of a fix, and only a clear request (at the route threshold)
 * interrupts. Negative answers ("no joy") are answers, never a cancel. The
 * one exception: an answer read by the answer model alone (no label, no
 * words) yields to a request for help, a person or a stop that the intent
 * classifier is very sure of, and surer than of the answer ("cancel
 * everything" is not a failure report). Sizes given at a step that asked
 * something else are not an answer unless the step is clearly answered too:
 * they are noted for the size check (a request still interrupts, except
 * starting that check now when it is still to come anyway).
 */
export function decideInFix({ recognized, parse, route, runningFix, fixIntents, personLabel, promptKind, sizeCheck }: InFixInput): InFixAction {
  if (foldWords(parse.text) === foldWords(personLabel)) return { kind: 'human' };
  const request = interruption(parse, route, runningFix, fixIntents);
  if (volunteersSizes(parse, promptKind) && !clearAnswer(recognized)) {
    // Sizes for a size check still to come are kept for it, rather than starting it now and leaving this fix.
    const forLater = request?.kind === 'switch' && sizeCheck?.ahead === true && request.intent === sizeCheck.intent;
    return request && !forLater ? request : { kind: 'sizes' };
  }
  if (recognized.kind === 'option' || recognized.kind === 'meaning') {
    const guessed = recognized.by === 'meaning' && request && request.kind !== 'switch' && parse.intent.confidence >= SURE_REQUEST && parse.intent.confidence > (recognized.confidence ?? 1);
    if (guessed) return request;
    if (recognized.kind === 'meaning' && recognized.intent === 'solved' && runningFix) return { kind: 'solved' };
    return { kind: 'answer', recognized };
  }
  if (recognized.kind === 'value') return { kind: 'answer', recognized };
  return request ?? { kind: 'answer', recognized };
}

/** What the message asks for as a first message would, when the intent classifier is sure enough. */
function interruption(parse: ParseResult, route: number, runningFix: IntentName | undefined, fixIntents: ReadonlySet<IntentName>): InFixAction | undefined {
  const { name, confidence } = parse.intent;
  if (confidence < route) return undefined;
  const move = fixIntents.has(name) ? 'switch' : (MOVES.get(name) ?? 'nothing');
  if (move === 'switch') return name !== runningFix ? { kind: 'switch', intent: name } : undefined;
  return move === 'nothing' ? undefined : { kind: move };
}
