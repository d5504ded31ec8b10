import { extractEntities } from './entities';
import type { ModelCache } from './model-cache';
import { DEFAULT_NLU_OPTIONS } from './options';
import type { NluOptions } from './options';
import { trainTextClassifier } from './text-classifier';
import { INTENTS } from './types';
import type { AnswerExamples, AnswerScore, IntentExamples, IntentName, IntentScore, Nlu, ParseResult } from './types';

export { DEFAULT_NLU_OPTIONS };
export type { NluOptions };

/** The ranking of a message the classifier can say nothing about: all the weight on `none`. */
const OUT_OF_SCOPE: readonly IntentScore[] = [
  { name: 'none', confidence: 1 },
  ...INTENTS.filter((n) => n !== 'none').map((name) => ({ name, confidence: 0 })),
];
const NOT_AN_ANSWER: readonly AnswerScore[] = [{ name: 'other', confidence: 1 }];

/**
 * The answer model's options: the intents' without the message shape. Answers
 * are nearly all one to three words, so their length tells the answer intents
 * apart no better than chance (with it the dev answers lost 0.5 points).
 */
function answerOptions(o: NluOptions): NluOptions {
  return { ...o, features: { ...o.features, shapeWeight: 0 } };
}

/**
 * Trains the intent classifier on the loaded examples (deterministic, at
 * start-up) and returns the parser: the intents of a first message plus
 * rule-based entities, in the shape of Rasa's /model/parse. Given answer
 * examples (intents/answers/), a second model on the same engine reads how
 * the text answers a prompt (`answer_ranking`). Given a model cache, both
 * models are loaded from it when trained before on the same content.
 */
export function createNlu(
  intents: readonly IntentExamples[],
  options: Partial<NluOptions> = {},
  answers: readonly AnswerExamples[] = [],
  cache?: ModelCache,
): Nlu {
  const o: NluOptions = { ...DEFAULT_NLU_OPTIONS, ...options };
  if (!Array.isArray(intents) || intents.length === 0) throw new Error('createNlu: no training examples given');
  const classes: IntentName[] = [...new Set(intents.map((i) => i.intent))];
  if (!classes.includes('none')) throw new Error('createNlu: the "none" intent needs examples');
  if (classes.length < 2) throw new Error('createNlu: need at least two intents');
  const classifier = trainTextClassifier(
    classes.map((label) => ({ label, texts: intents.filter((i) => i.intent === label).flatMap((i) => i.examples) })),
    o,
    { outOfScope: 'none' },
    cache,
  );
  const answerModel =
    answers.length === 0
      ? undefined
      : trainTextClassifier(answers.map((a) => ({ label: a.intent, texts: a.examples })), answerOptions(o), { outOfScope: 'other' }, cache);
  // Intents of the contract without examples still appear in the ranking, at 0.
  const absent: IntentScore[] = INTENTS.filter((n) => !classes.includes(n)).map((name) => ({ name, confidence: 0 }));

  return {
    parse(text: string): ParseResult {
      const input = typeof text === 'string' ? text : '';
      const blank = input.trim() === '';
      const ranked = blank ? undefined : classifier.rank(input);
      const ranking: IntentScore[] = ranked ? [...ranked, ...absent] : [...OUT_OF_SCOPE];
      const answerRanking = !answerModel ? [] : ((blank ? undefined : answerModel.rank(input)) ?? [...NOT_AN_ANSWER]);
      return {
        text: input,
        intent: ranking[0] as IntentScore,
        intent_ranking: ranking,
        entities: extractEntities(input),
        answer_ranking: answerRanking,
      };
    },
  };
}
