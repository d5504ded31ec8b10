import { extractEntities } from './entities';
import { DEFAULT_FEATURES, FeatureSpace } from './features';
import type { FeatureOptions } from './features';
import { Preprocessor } from './preprocess';
import { DEFAULT_SOFTMAX, SoftmaxModel } from './softmax';
import type { SoftmaxOptions } from './softmax';
import { DEFAULT_SPELLING } from './spelling';
import type { SpellingOptions } from './spelling';
import { INTENTS } from './types';
import type { IntentExamples, IntentName, IntentScore, Nlu, ParseResult } from './types';

export interface NluOptions {
  features: FeatureOptions;
  softmax: SoftmaxOptions;
  spelling: SpellingOptions;
}

export const DEFAULT_NLU_OPTIONS: NluOptions = {
  features: DEFAULT_FEATURES,
  softmax: DEFAULT_SOFTMAX,
  spelling: DEFAULT_SPELLING,
};

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
 * start-up) and returns the parser: softmax regression over stemmed words,
 * stem bigrams and character n-grams, plus rule-based entities.
 */
export function createNlu(intents: readonly IntentExamples[], options: Partial<NluOptions> = {}): Nlu {
  const o: NluOptions = { ...DEFAULT_NLU_OPTIONS, ...options };
  if (!Array.isArray(intents) || intents.length === 0) throw new Error('createNlu: no training examples given');
  const classes: IntentName[] = [...new Set(intents.map((i) => i.intent))];
  if (!classes.includes('none')) throw new Error('createNlu: the "none" intent needs examples');
  if (classes.length < 2) throw new Error('createNlu: need at least two intents');

  const texts: string[] = [];
  const labels: number[] = [];
  for (const group of intents) {
    for (const text of group.examples) {
      texts.push(text);
      labels.push(classes.indexOf(group.intent));
    }
  }
  const preprocessor = new Preprocessor(texts, o.spelling);
  const space = new FeatureSpace(o.features);
  const xs = texts.map((t) => space.fit(preprocessor.process(t, true)));
  const model = SoftmaxModel.train(xs, labels, space.size, classes.length, o.softmax);
  // Intents of the contract without examples still appear in the ranking, at 0.
  const absent = INTENTS.filter((n) => !classes.includes(n));

  return {
    parse(text: string): ParseResult {
      const input = typeof text === 'string' ? text : '';
      if (input.trim() === '') return outOfScope(input);
      const x = space.vectorize(preprocessor.process(input));
      if (x.indices.length === 0) return outOfScope(input);
      const p = model.probabilities(x);
      const ranking: IntentScore[] = classes
        .map((name, k) => ({ name, confidence: p[k] as number }))
        .concat(absent.map((name) => ({ name, confidence: 0 })))
        .sort((a, b) => b.confidence - a.confidence);
      return { text: input, intent: ranking[0] as IntentScore, intent_ranking: ranking, entities: extractEntities(input) };
    },
  };
}
