// The one distance, not natural's distance index (which loads every other distance too).
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance';
import { isPlaceholder } from './text';

export interface SpellingOptions {
  /** Tokens shorter than this are never corrected ("u", "rn", "ok"). */
  minLength: number;
  /** Largest edit distance accepted for tokens shorter than `longFrom`. */
  maxDistanceShort: number;
  /** Largest edit distance accepted for tokens of `longFrom` letters or more. */
  maxDistanceLong: number;
  longFrom: number;
}

export const DEFAULT_SPELLING: SpellingOptions = {
  minLength: 4,
  maxDistanceShort: 1,
  maxDistanceLong: 2,
  longFrom: 7,
};

/** FNV-1a of `word` with the letters at positions `skipA` and `skipB` left out (-1: none). */
function hashWithout(word: string, skipA: number, skipB: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    if (i !== skipA && i !== skipB) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * Calls `visit` with the hash of every string reachable from `word` by
 * deleting up to `depth` (0..2) letters (SymSpell), the word itself included.
 * Hashes, not strings: the index of a few thousand training words would
 * otherwise be a hundred thousand short strings. Repeats are harmless.
 */
function forEachDelete(word: string, depth: number, visit: (hash: number) => void): void {
  visit(hashWithout(word, -1, -1));
  if (depth < 1) return;
  for (let a = 0; a < word.length; a++) {
    // Deleting one of a run of equal letters gives the same string: only the first is visited.
    if (a > 0 && word.charCodeAt(a) === word.charCodeAt(a - 1)) continue;
    visit(hashWithout(word, a, -1));
    if (depth < 2) continue;
    for (let b = a + 1; b < word.length; b++) {
      if (b > a + 1 && word.charCodeAt(b) === word.charCodeAt(b - 1)) continue;
      visit(hashWithout(word, a, b));
    }
  }
}

/**
 * Corrects tokens the training vocabulary does not know to the closest known
 * word (Damerau-Levenshtein distance, natural's implementation). Candidates come
 * from a SymSpell delete index so a lookup compares against a handful of words,
 * not the whole vocabulary: the hashes of each word's deletes in buckets of
 * typed arrays (a hash collision only adds a candidate the distance rules
 * out); results are cached.
 */
export class SpellingCorrector {
  private readonly words: string[] = [];
  /** Bucket b's word ids are `ids[bucketStart[b]..bucketStart[b + 1]]`. */
  private readonly bucketStart: Int32Array;
  private readonly ids: Int32Array;
  private readonly mask: number;
  private readonly cache = new Map<string, string>();
  private readonly maxDepth: number;

  constructor(
    private readonly frequency: ReadonlyMap<string, number>,
    private readonly options: SpellingOptions = DEFAULT_SPELLING,
  ) {
    if (options.minLength < 1 || options.maxDistanceShort < 0 || options.maxDistanceLong < options.maxDistanceShort) {
      throw new Error('SpellingCorrector: invalid options');
    }
    if (options.maxDistanceLong > 2) throw new Error('SpellingCorrector: edit distances above 2 are not supported');
    this.maxDepth = options.maxDistanceLong;
    for (const word of frequency.keys()) {
      if (word.length < options.minLength - this.maxDepth || isPlaceholder(word) || /\d/.test(word)) continue;
      this.words.push(word);
    }
    // Two passes over the deletes (count, then fill) instead of a growing list per bucket.
    let pairs = 0;
    for (const word of this.words) forEachDelete(word, this.maxDepth, () => pairs++);
    let buckets = 1;
    while (buckets < pairs) buckets *= 2;
    this.mask = buckets - 1;
    const count = new Int32Array(buckets + 1);
    for (const word of this.words) forEachDelete(word, this.maxDepth, (h) => count[(h & this.mask) + 1]++);
    for (let b = 0; b < buckets; b++) count[b + 1] = (count[b + 1] as number) + (count[b] as number);
    this.bucketStart = count.slice();
    this.ids = new Int32Array(pairs);
    this.words.forEach((word, id) => forEachDelete(word, this.maxDepth, (h) => (this.ids[count[h & this.mask]++] = id)));
  }

  /** The token itself when known, too short or unmatched; otherwise the nearest known word. */
  correct(token: string): string {
    if (this.frequency.has(token) || token.length < this.options.minLength || isPlaceholder(token) || /\d/.test(token)) {
      return token;
    }
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;

    const limit = token.length >= this.options.longFrom ? this.options.maxDistanceLong : this.options.maxDistanceShort;
    const candidates = new Set<number>();
    forEachDelete(token, limit, (h) => {
      const b = h & this.mask;
      for (let i = this.bucketStart[b] as number; i < (this.bucketStart[b + 1] as number); i++) candidates.add(this.ids[i] as number);
    });
    let best = token;
    let bestDistance = limit + 1;
    let bestFrequency = 0;
    for (const id of [...candidates].sort((x, y) => x - y)) {
      const word = this.words[id] as string;
      if (Math.abs(word.length - token.length) > limit) continue;
      const distance = DamerauLevenshteinDistance(token, word, { restricted: true });
      const frequency = this.frequency.get(word) ?? 0;
      if (distance < bestDistance || (distance === bestDistance && frequency > bestFrequency)) {
        best = word;
        bestDistance = distance;
        bestFrequency = frequency;
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, best);
    return best;
  }
}
