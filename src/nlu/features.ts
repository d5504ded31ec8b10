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
  /** Weight of the message's shape: its length in words (1, 2, 3, 4-6, 7+), alone and with "every word unknown". */
  shapeWeight: number;
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
  shapeWeight: 0,
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
const KIND = { word: 1, bigram: 2, char: 3, unknown: 4, nonword: 5, vector: 6, shape: 7 } as const;

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

/**
 * The features of one message: hashed keys with their weights (repeats add
 * up), in an open-addressing table of typed arrays that is cleared and
 * refilled for every message, so training thousands of messages allocates
 * nothing per message (a Map per message grew V8's young generation by ~30 MB
 * that it then kept).
 */
export class FeatureBag {
  /** Entry index + 1 per slot, 0 = empty. */
  private table = new Int32Array(1024);
  private mask = 1023;
  private keyOf = new Uint32Array(512);
  private weightOf = new Float64Array(512);
  private slotOf = new Int32Array(512);
  size = 0;

  clear(): void {
    for (let i = 0; i < this.size; i++) this.table[this.slotOf[i] as number] = 0;
    this.size = 0;
  }

  key(i: number): number {
    return this.keyOf[i] as number;
  }

  weight(i: number): number {
    return this.weightOf[i] as number;
  }

  add(rawKey: number, w: number): void {
    const key = rawKey >>> 0;
    let slot = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
    for (let e = this.table[slot] as number; e !== 0; e = this.table[slot] as number) {
      if (this.keyOf[e - 1] === key) {
        this.weightOf[e - 1] = (this.weightOf[e - 1] as number) + w;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.keyOf.length) return this.grow(key, w);
    const i = this.size++;
    this.keyOf[i] = key;
    this.weightOf[i] = w;
    this.slotOf[i] = slot;
    this.table[slot] = i + 1;
  }

  /** Twice the room (a long message), entries re-slotted, then `key` added. */
  private grow(key: number, w: number): void {
    const n = this.size;
    const keys = this.keyOf;
    const weights = this.weightOf;
    this.table = new Int32Array(this.table.length * 2);
    this.mask = this.table.length - 1;
    this.keyOf = new Uint32Array(n * 2);
    this.weightOf = new Float64Array(n * 2);
    this.slotOf = new Int32Array(n * 2);
    this.size = 0;
    for (let i = 0; i < n; i++) this.add(keys[i] as number, weights[i] as number);
    this.add(key, w);
  }
}

/** Fills `bag` (cleared first) with the features of one message. */
export function featureKeys(p: Processed, o: FeatureOptions, bag: FeatureBag): FeatureBag {
  bag.clear();
  for (const s of p.stems) bag.add(hashText(start(KIND.word), s), o.wordWeight);
  const stems = p.stems;
  if (stems.length > 0) {
    // Neighbouring stems with start (^) and end ($) markers.
    const bigram = start(KIND.bigram);
    bag.add(hashText(mix(hashText(bigram, '^'), SPACE), stems[0] as string), o.bigramWeight);
    for (let i = 0; i + 1 < stems.length; i++) {
      bag.add(hashText(mix(hashText(bigram, stems[i] as string), SPACE), stems[i + 1] as string), o.bigramWeight);
    }
    bag.add(hashText(mix(hashText(bigram, stems[stems.length - 1] as string), SPACE), '$'), o.bigramWeight);
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
          bag.add(h, o.charWeight);
        }
      }
    }
  }
  if (o.unknownWeight > 0 && p.unknown > 0) bag.add(UNKNOWN_FEATURE, o.unknownWeight * p.unknown);
  if (o.nonwordWeight > 0 && p.nonword > 0) bag.add(NONWORD_FEATURE, o.nonwordWeight * p.nonword);
  if (o.shapeWeight > 0 && p.raw.length > 0) {
    const n = p.raw.length;
    const bucket = n <= 3 ? n : n <= 6 ? 4 : 5;
    bag.add(mix(start(KIND.shape), bucket), o.shapeWeight);
    if (p.unknown >= 0.999) bag.add(mix(start(KIND.shape), 10 + bucket), o.shapeWeight);
  }
  if (o.vectorWeight > 0 && p.meaning) p.meaning.forEach((x, d) => bag.add(mix(start(KIND.vector), d), o.vectorWeight * x));
  return bag;
}

/**
 * Training messages as one sparse matrix (compressed rows): three growing
 * typed arrays instead of two small typed arrays per message.
 */
export class SparseRows {
  private offsets = new Int32Array(1024);
  private columns = new Int32Array(1 << 16);
  private data = new Float64Array(1 << 16);
  rows = 0;

  /** Appends a row (L2-normalised weights) and returns its index. */
  push(columns: ArrayLike<number>, values: ArrayLike<number>, n: number): number {
    const at = this.offsets[this.rows] as number;
    if (this.rows + 2 > this.offsets.length) this.offsets = grown(this.offsets, (this.rows + 2) * 2);
    if (at + n > this.columns.length) {
      this.columns = grown(this.columns, (at + n) * 2);
      this.data = grown(this.data, (at + n) * 2);
    }
    for (let i = 0; i < n; i++) {
      this.columns[at + i] = columns[i] as number;
      this.data[at + i] = values[i] as number;
    }
    this.offsets[++this.rows] = at + n;
    return this.rows - 1;
  }

  start(row: number): number {
    return this.offsets[row] as number;
  }

  end(row: number): number {
    return this.offsets[row + 1] as number;
  }

  get indices(): Int32Array {
    return this.columns;
  }

  get values(): Float64Array {
    return this.data;
  }
}

function grown<T extends Int32Array | Float64Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/** Maps features seen in training to columns (a typed open-addressing table); unseen ones are dropped. */
export class FeatureSpace {
  /** Column + 1 per slot, 0 = empty; the slot's key in `slotKeys`. */
  private slots = new Int32Array(1 << 15);
  private slotKeys = new Uint32Array(1 << 15);
  private columnKeys: Uint32Array<ArrayBuffer> = new Uint32Array(1 << 14);
  private count = 0;
  private readonly bag = new FeatureBag();
  /** Scratch row for `fit` / `vectorize`. */
  private rowColumns = new Int32Array(512);
  private rowValues = new Float64Array(512);

  constructor(private readonly options: FeatureOptions = DEFAULT_FEATURES) {}

  /** A space with the columns of one saved by `keys()` (a cached model). */
  static fromKeys(keys: Uint32Array, options: FeatureOptions = DEFAULT_FEATURES): FeatureSpace {
    const space = new FeatureSpace(options);
    for (const key of keys) {
      if (space.columnOf(key) >= 0) throw new Error('FeatureSpace.fromKeys: a feature key is given twice');
      space.register(key);
    }
    return space;
  }

  get size(): number {
    return this.count;
  }

  /** The feature key of every column, in column order. */
  keys(): Uint32Array {
    return this.columnKeys.slice(0, this.count);
  }

  private slotFor(key: number): number {
    const mask = this.slots.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    while (this.slots[slot] !== 0 && this.slotKeys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private columnOf(key: number): number {
    return (this.slots[this.slotFor(key)] as number) - 1;
  }

  private register(key: number): void {
    if ((this.count + 1) * 2 > this.slots.length) {
      const keys = this.columnKeys.subarray(0, this.count);
      this.slots = new Int32Array(this.slots.length * 2);
      this.slotKeys = new Uint32Array(this.slots.length);
      keys.forEach((k, column) => {
        const slot = this.slotFor(k);
        this.slots[slot] = column + 1;
        this.slotKeys[slot] = k;
      });
    }
    if (this.count === this.columnKeys.length) this.columnKeys = grownKeys(this.columnKeys);
    const slot = this.slotFor(key);
    this.slots[slot] = this.count + 1;
    this.slotKeys[slot] = key;
    this.columnKeys[this.count++] = key;
  }

  /** Registers the features of a training message and appends its row to `rows`. */
  fit(p: Processed, rows: SparseRows): number {
    // Parse-time readings that a training message may never show still get a column.
    if (this.count === 0) for (const key of [UNKNOWN_FEATURE, NONWORD_FEATURE]) this.register(key);
    const bag = featureKeys(p, this.options, this.bag);
    for (let i = 0; i < bag.size; i++) if (this.columnOf(bag.key(i)) < 0) this.register(bag.key(i));
    return rows.push(this.rowColumns, this.rowValues, this.toRow(bag));
  }

  /** Appends the row of a message read as at parse time (its unseen features dropped) to `rows`. */
  fitUnseen(p: Processed, rows: SparseRows): number {
    return rows.push(this.rowColumns, this.rowValues, this.toRow(featureKeys(p, this.options, this.bag)));
  }

  vectorize(p: Processed): SparseVector {
    const m = this.toRow(featureKeys(p, this.options, this.bag));
    return { indices: this.rowColumns.slice(0, m), values: this.rowValues.slice(0, m) };
  }

  /** The bag's known features into the scratch row, sorted by column and L2-normalised; returns their number. */
  private toRow(bag: FeatureBag): number {
    if (bag.size > this.rowColumns.length) {
      this.rowColumns = new Int32Array(bag.size * 2);
      this.rowValues = new Float64Array(bag.size * 2);
    }
    const indices = this.rowColumns;
    const values = this.rowValues;
    let m = 0;
    let norm = 0;
    for (let e = 0; e < bag.size; e++) {
      const column = this.columnOf(bag.key(e));
      if (column < 0) continue;
      const weight = bag.weight(e);
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
    return m;
  }
}

function grownKeys(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
