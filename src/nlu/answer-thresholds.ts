import type { AnswerIntent } from './types';

/**
 * The least confidence at which the answer model's top reading counts as the
 * user's answer, per answer intent. Set from the development answers
 * (test/nlu/dev-answers.yaml) in reports/answers-eval.md: a meaning whose
 * mistakes cost more asks for more. `solved` ends a fix as a success from any
 * step, so a false one would skip the rest of the fix: it needs the most.
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
