import { extractEntities } from './entities';
import { DEFAULT_NLU_OPTIONS } from './options';
import type { NluOptions } from './options';
import { trainTextClassifier } from './text-classifier';
import { INTENTS } from './types';
import type { IntentExamples, IntentName, IntentScore, Nlu, ParseResult } from './types';

export { DEFAULT_NLU_OPTIONS };
export type { NluOptions };

/** A message the classifier can say nothing about: all the weight on `none`. */
function outOfScope(text: string): ParseResult {
  const ranking: IntentScore[] = [
    { name: 'none', confidence: 1 },
    ...INTENTS.filter((n) => n !== 'none').map((name) => ({ name, confidence: 0 })),
  ];
  return { text, intent: ranking[0] as IntentScore, intent_ranking: ranking, entities: extractEntities(text) };
}

/**
 * Trains the intent classifier on the loaded examples (deterministic, at
 * start-up) and returns the parser: the intents of a first message plus
 * rule-based entities, in the shape of Rasa's /model/parse.
 */
export function createNlu(intents: readonly IntentExamples[], options: Partial<NluOptions> = {}): Nlu {
  const o: NluOptions = { ...DEFAULT_NLU_OPTIONS, ...options };
  if (!Array.isArray(intents) || intents.length === 0) throw new Error('createNlu: no training examples given');
  const classes: IntentName[] = [...new Set(intents.map((i) => i.intent))];
  if (!classes.includes('none')) throw new Error('createNlu: the "none" intent needs examples');
  if (classes.length < 2) throw new Error('createNlu: need at least two intents');
  const classifier = trainTextClassifier(
    classes.map((label) => ({ label, texts: intents.filter((i) => i.intent === label).flatMap((i) => i.examples) })),
    o,
    { outOfScope: 'none' },
  );
  // Intents of the contract without examples still appear in the ranking, at 0.
  const absent: IntentScore[] = INTENTS.filter((n) => !classes.includes(n)).map((name) => ({ name, confidence: 0 }));

  return {
    parse(text: string): ParseResult {
      const input = typeof text === 'string' ? text : '';
      if (input.trim() === '') return outOfScope(input);
      const ranked = classifier.rank(input);
      if (!ranked) return outOfScope(input);
      const ranking: IntentScore[] = [...ranked, ...absent];
      return { text: input, intent: ranking[0] as IntentScore, intent_ranking: ranking, entities: extractEntities(input) };
    },
  };
}
