import type { AnswerIntent } from './types';

/**
 * The least confidence at which the answer model's top reading counts as the
 * user's answer, per answer intent. Swept on the two development splits (791
 * answers, through scripts/answers-eval.ts): any uniform value from 0.3 to
 * 0.5 understands 93.9 %, 0.6 and 0.7 93.6 %. `solved` ends a fix as a
 * success from any step, so a false one would skip the rest of the fix: it
 * asks for more. At 0.6 two development answers end a fix wrongly; at 0.8
 * none do, for 0.2 points less understood (worth revisiting).
 */
export const DEFAULT_ANSWER_THRESHOLDS: Readonly<Record<AnswerIntent, number>> = {
  affirm: 0.5,
  deny: 0.5,
  done: 0.5,
  cant_find: 0.5,
  already: 0.5,
  solved: 0.6,
  still_failing: 0.5,
  dont_know: 0.5,
};
