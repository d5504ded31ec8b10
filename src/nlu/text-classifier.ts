import { applyTemperature } from './calibration';
import { FeatureSpace, SparseRows } from './features';
import { defaultLexicon } from './lexicon';
import { decodeModel, encodeModel, modelKey } from './model-cache';
import type { ModelCache } from './model-cache';
import { keyboardMashes } from './nonsense';
import { Preprocessor } from './preprocess';
import { SoftmaxModel } from './softmax';
import type { NluOptions } from './options';

/** Training texts of one label (an intent, or an answer intent). */
export interface LabelledTexts<L extends string> {
  label: L;
  texts: readonly string[];
}

export interface Reading<L extends string> {
  name: L;
  /** 0..1; a ranking's confidences sum to 1. */
  confidence: number;
}

/** One trained model over one label set. */
export interface TextClassifier<L extends string> {
  readonly labels: readonly L[];
  /**
   * Every label with its probability, best first; undefined when the text
   * shares no feature with the training data (nothing can be said about it).
   */
  rank(text: string): Reading<L>[] | undefined;
}

export interface TrainingRoles<L extends string> {
  /** The label for messages the model cannot help with (`none`, `other`): keyboard mashes are added to it. */
  outOfScope?: L;
}

/**
 * Trains a classifier over any label set (deterministic, at start-up): the
 * intents of a first message and the answers typed at a prompt use the same
 * engine. Softmax regression over stemmed words, stem bigrams, character
 * n-grams and the shares of unknown words and of non-words, after
 * normalising, reading unknown real words as their nearest training word
 * (word vectors) and spelling-correcting the rest against the training
 * vocabulary; probabilities temperature-scaled. Given a cache, a model
 * trained earlier on the same examples, options and engine is loaded instead
 * (the preprocessor, cheap and needed at parse time, is always rebuilt).
 */
export function trainTextClassifier<L extends string>(
  groups: readonly LabelledTexts<L>[],
  o: NluOptions,
  roles: TrainingRoles<L> = {},
  cache?: ModelCache,
): TextClassifier<L> {
  const labels = groups.map((g) => g.label);
  if (new Set(labels).size !== labels.length) throw new Error('trainTextClassifier: a label is given twice');
  if (labels.length < 2) throw new Error('trainTextClassifier: need at least two labels');
  const texts: string[] = [];
  const ys: number[] = [];
  groups.forEach((group, k) => {
    for (const text of group.texts) {
      texts.push(text);
      ys.push(k);
    }
  });
  if (texts.length === 0) throw new Error('trainTextClassifier: no training examples given');
  if (roles.outOfScope !== undefined && !labels.includes(roles.outOfScope)) {
    throw new Error(`trainTextClassifier: the out-of-scope label "${roles.outOfScope}" has no examples`);
  }

  const lexicon = o.lexicon ? defaultLexicon() : undefined;
  const preprocessor = new Preprocessor(texts, o.spelling, lexicon, o.neighbours, o.features.vectorWeight > 0);
  const key = cache ? modelKey({ groups, o, roles }) : '';
  const cached = cache?.read(key);
  const stored = cached ? decodeModel(cached, key, labels) : undefined;
  if (cached && !stored) cache?.reject(key, 'not a whole model of this content (truncated or corrupt)');
  let space: FeatureSpace;
  let model: SoftmaxModel;
  if (stored) {
    space = FeatureSpace.fromKeys(stored.keys, o.features);
    model = SoftmaxModel.fromParameters(stored.softmax);
  } else {
    space = new FeatureSpace(o.features);
    const xs = new SparseRows();
    for (const t of texts) space.fit(preprocessor.process(t, true), xs);
    if (roles.outOfScope !== undefined && o.mashes > 0) {
      // Read as a message at parse time would be (non-words and all), never added to the vocabulary.
      const y = labels.indexOf(roles.outOfScope);
      for (const mash of keyboardMashes(o.mashes, o.softmax.seed)) {
        space.fitUnseen(preprocessor.process(mash), xs);
        ys.push(y);
      }
    }
    model = SoftmaxModel.train(xs, ys, space.size, labels.length, o.softmax);
    cache?.write(key, encodeModel(key, { labels, keys: space.keys(), softmax: model.parameters() }));
  }

  return {
    labels,
    rank(text) {
      const x = space.vectorize(preprocessor.process(text));
      if (x.indices.length === 0) return undefined;
      const p = applyTemperature(model.probabilities(x), o.temperature);
      return labels.map((name, k) => ({ name, confidence: p[k] as number })).sort((a, b) => b.confidence - a.confidence);
    },
  };
}
