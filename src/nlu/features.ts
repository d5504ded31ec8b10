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

/** The named features of one message, with their weights (repeats add up). */
export function featureNames(p: Processed, o: FeatureOptions): Map<string, number> {
  const f = new Map<string, number>();
  const add = (name: string, w: number): void => {
    f.set(name, (f.get(name) ?? 0) + w);
  };
  for (const s of p.stems) add(`w:${s}`, o.wordWeight);
  const padded = ['^', ...p.stems, '$'];
  if (p.stems.length > 0) {
    for (let i = 0; i + 1 < padded.length; i++) add(`b:${padded[i]} ${padded[i + 1]}`, o.bigramWeight);
  }
  if (o.charWeight > 0) {
    for (const token of o.charFrom === 'raw' ? p.raw : p.corrected) {
      if (isPlaceholder(token)) continue;
      const t = `<${token}>`;
      for (let n = o.charMin; n <= o.charMax; n++) {
        for (let i = 0; i + n <= t.length; i++) add(`c:${t.slice(i, i + n)}`, o.charWeight);
      }
    }
  }
  if (o.unknownWeight > 0 && p.unknown > 0) add('u:unknown', o.unknownWeight * p.unknown);
  if (o.nonwordWeight > 0 && p.nonword > 0) add('u:nonword', o.nonwordWeight * p.nonword);
  if (o.vectorWeight > 0 && p.meaning) p.meaning.forEach((x, d) => add(`v:${d}`, o.vectorWeight * x));
  return f;
}

/** Maps feature names seen in training to columns; unseen names are dropped. */
export class FeatureSpace {
  private readonly columns = new Map<string, number>();

  constructor(private readonly options: FeatureOptions = DEFAULT_FEATURES) {}

  get size(): number {
    return this.columns.size;
  }

  /** Registers the features of a training message and returns its vector. */
  fit(p: Processed): SparseVector {
    // Parse-time readings that a training message may never show still get a column.
    for (const name of ['u:unknown', 'u:nonword']) if (!this.columns.has(name)) this.columns.set(name, this.columns.size);
    for (const name of featureNames(p, this.options).keys()) {
      if (!this.columns.has(name)) this.columns.set(name, this.columns.size);
    }
    return this.vectorize(p);
  }

  vectorize(p: Processed): SparseVector {
    const pairs: Array<[number, number]> = [];
    let norm = 0;
    for (const [name, weight] of featureNames(p, this.options)) {
      const column = this.columns.get(name);
      if (column === undefined) continue;
      pairs.push([column, weight]);
      norm += weight * weight;
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    return {
      indices: Int32Array.from(pairs, (p) => p[0]),
      values: Float64Array.from(pairs, (p) => p[1] * scale),
    };
  }
}
