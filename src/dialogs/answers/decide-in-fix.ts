import { foldWords } from '../../content/fold-words';
import type { IntentName, ParseResult } from '../../nlu/types';
import { recognizeAnswer } from './recognize-answer';
import type { AnswerThresholds, PromptSpec, RecognizedAnswer } from './recognize-answer';

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
  | { kind: 'switch'; intent: IntentName };

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
  /** The prompt waiting for an answer (undefined: none is, or it is not one of ours). */
  prompt: PromptSpec | undefined;
  parse: ParseResult;
  thresholds: { route: number; answers: AnswerThresholds };
  /** The intent of the fix that is running, if one is. */
  runningFix: IntentName | undefined;
  /** Intents that start a fix (from content). */
  fixIntents: ReadonlySet<IntentName>;
  /** The label of the "talk to a person" button the bot offers after repeated misunderstanding. */
  personLabel: string;
}

/**
 * The in-conversation decision, as a pure function: an answer to the
 * question on screen always wins over an interruption, success is understood
 * at any step of a fix, and only a clear request (at the route threshold)
 * interrupts. Negative answers ("no joy") are answers, never a cancel.
 */
export function decideInFix({ prompt, parse, thresholds, runningFix, fixIntents, personLabel }: InFixInput): InFixAction {
  if (foldWords(parse.text) === foldWords(personLabel)) return { kind: 'human' };
  const recognized: RecognizedAnswer = prompt ? recognizeAnswer(prompt, parse, thresholds.answers) : { kind: 'none' };
  if (recognized.kind === 'option') return { kind: 'answer', recognized };
  if (recognized.kind === 'meaning') {
    return recognized.intent === 'solved' && runningFix ? { kind: 'solved' } : { kind: 'answer', recognized };
  }

  const { name, confidence } = parse.intent;
  if (confidence >= thresholds.route) {
    const move = fixIntents.has(name) ? 'switch' : (MOVES.get(name) ?? 'nothing');
    if (move === 'switch' && name !== runningFix) return { kind: 'switch', intent: name };
    if (move === 'help' || move === 'human' || move === 'stop') return { kind: move };
  }
  return { kind: 'answer', recognized };
}
