import type { Processed } from './preprocess';
import { isPlaceholder } from './text';

export interface FeatureOptions {
  /** Weight of a stemmed word. */
  wordWeight: number;
  /** Weight of a pair of neighbouring stems (with start/end markers). */
  bigramWeight: number;
  /** Weight of a character n-gram of a token as typed (typo tolerance). */
  charWeight: number;
  /**
   * Character n-grams of the tokens as typed (`raw`: typo tolerance of their
   * own) or as corrected (`corrected`: typos already fixed, unknown words
   * replaced by their stand-ins).
   */
  charFrom: 'raw' | 'corrected';
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Weight of the share of unknown words (0 turns the feature off). */
  unknownWeight: number;
  /** Weight of the share of tokens that are no word at all (0 turns the feature off). */
  nonwordWeight: number;
  /** Weight of the message's mean word vector, one feature per dimension (0 turns it off). */
  vectorWeight: number;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  wordWeight: 1,
  bigramWeight: 0.6,
  charWeight: 0.6,
  charFrom: 'corrected',
  charMin: 3,
  charMax: 5,
  unknownWeight: 2,
  nonwordWeight: 3,
  vectorWeight: 0,
};

/** A sparse, L2-normalised feature vector. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/**
 * Features are keyed by a 32-bit FNV-1a hash of their kind and text, computed
 * from character codes, so extracting them allocates no strings: training
 * reads thousands of messages and would otherwise churn through hundreds of
 * thousands of short-lived keys (memory V8 keeps once it has grown). Over the
 * ~20,000 features seen in training a collision is unlikely (≈ 5 %) and costs
 * at most two features sharing one weight.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const KIND = { word: 1, bigram: 2, char: 3, unknown: 4, nonword: 5, vector: 6 } as const;

function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

function hashText(hash: number, text: string, from = 0, to = text.length): number {
  let h = hash;
  for (let i = from; i < to; i++) h = mix(h, text.charCodeAt(i));
  return h;
}

const start = (kind: number): number => mix(FNV_OFFSET, kind);
const SPACE = 0x20;
const LT = 0x3c;
const GT = 0x3e;
export const UNKNOWN_FEATURE = start(KIND.unknown) >>> 0;
export const NONWORD_FEATURE = start(KIND.nonword) >>> 0;

/** The features of one message (hashed keys), with their weights (repeats add up). */
export function featureKeys(p: Processed, o: FeatureOptions): Map<number, number> {
  const f = new Map<number, number>();
  const add = (key: number, w: number): void => {
    const k = key >>> 0;
    f.set(k, (f.get(k) ?? 0) + w);
  };
  for (const s of p.stems) add(hashText(start(KIND.word), s), o.wordWeight);
  if (p.stems.length > 0) {
    // Neighbouring stems with start (^) and end ($) markers.
    const padded = ['^', ...p.stems, '$'];
    for (let i = 0; i + 1 < padded.length; i++) {
      add(hashText(mix(hashText(start(KIND.bigram), padded[i]!), SPACE), padded[i + 1]!), o.bigramWeight);
    }
  }
  if (o.charWeight > 0) {
    for (const token of o.charFrom === 'raw' ? p.raw : p.corrected) {
      if (isPlaceholder(token)) continue;
      // The n-grams of "<token>", read straight from the token's character codes.
      const length = token.length + 2;
      const code = (i: number): number => (i === 0 ? LT : i === length - 1 ? GT : token.charCodeAt(i - 1));
      for (let n = o.charMin; n <= o.charMax; n++) {
        for (let i = 0; i + n <= length; i++) {
          let h = start(KIND.char);
          for (let j = i; j < i + n; j++) h = mix(h, code(j));
          add(h, o.charWeight);
        }
      }
    }
  }
  if (o.unknownWeight > 0 && p.unknown > 0) add(UNKNOWN_FEATURE, o.unknownWeight * p.unknown);
  if (o.nonwordWeight > 0 && p.nonword > 0) add(NONWORD_FEATURE, o.nonwordWeight * p.nonword);
  if (o.vectorWeight > 0 && p.meaning) p.meaning.forEach((x, d) => add(mix(start(KIND.vector), d), o.vectorWeight * x));
  return f;
}

/** Maps features seen in training to columns; unseen ones are dropped. */
export class FeatureSpace {
  private readonly columns = new Map<number, number>();

  constructor(private readonly options: FeatureOptions = DEFAULT_FEATURES) {}

  /** A space with the columns of one saved by `keys()` (a cached model). */
  static fromKeys(keys: Uint32Array, options: FeatureOptions = DEFAULT_FEATURES): FeatureSpace {
    const space = new FeatureSpace(options);
    keys.forEach((key, column) => space.columns.set(key, column));
    if (space.columns.size !== keys.length) throw new Error('FeatureSpace.fromKeys: a feature key is given twice');
    return space;
  }

  get size(): number {
    return this.columns.size;
  }

  /** The feature key of every column, in column order. */
  keys(): Uint32Array {
    const keys = new Uint32Array(this.columns.size);
    for (const [key, column] of this.columns) keys[column] = key;
    return keys;
  }

  /** Registers the features of a training message and returns its vector. */
  fit(p: Processed): SparseVector {
    // Parse-time readings that a training message may never show still get a column.
    for (const key of [UNKNOWN_FEATURE, NONWORD_FEATURE]) if (!this.columns.has(key)) this.columns.set(key, this.columns.size);
    const features = featureKeys(p, this.options);
    for (const key of features.keys()) {
      if (!this.columns.has(key)) this.columns.set(key, this.columns.size);
    }
    return this.toVector(features);
  }

  vectorize(p: Processed): SparseVector {
    return this.toVector(featureKeys(p, this.options));
  }

  private toVector(features: ReadonlyMap<number, number>): SparseVector {
    // Insertion-sorted by column straight into typed arrays: a message has a
    // few hundred features at most, and training calls this thousands of times.
    const indices = new Int32Array(features.size);
    const values = new Float64Array(features.size);
    let m = 0;
    let norm = 0;
    for (const [key, weight] of features) {
      const column = this.columns.get(key);
      if (column === undefined) continue;
      let i = m++;
      for (; i > 0 && (indices[i - 1] as number) > column; i--) {
        indices[i] = indices[i - 1] as number;
        values[i] = values[i - 1] as number;
      }
      indices[i] = column;
      values[i] = weight;
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < m; i++) values[i] = (values[i] as number) * scale;
    return m === features.size ? { indices, values } : { indices: indices.slice(0, m), values: values.slice(0, m) };
  }
}
