import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance';
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

/** Every string reachable from `word` by deleting up to `depth` letters (SymSpell). */
function deletes(word: string, depth: number, into: Set<string>): Set<string> {
  if (depth === 0) return into;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!into.has(shorter)) {
      into.add(shorter);
      deletes(shorter, depth - 1, into);
    }
  }
  return into;
}

/**
 * Corrects tokens the training vocabulary does not know to the closest known
 * word (Damerau-Levenshtein distance, natural's implementation). Candidates come
 * from a SymSpell delete index so a lookup compares against a handful of words,
 * not the whole vocabulary; results are cached.
 */
export class SpellingCorrector {
  private readonly index = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();
  private readonly maxDepth: number;

  constructor(
    private readonly frequency: ReadonlyMap<string, number>,
    private readonly options: SpellingOptions = DEFAULT_SPELLING,
  ) {
    if (options.minLength < 1 || options.maxDistanceShort < 0 || options.maxDistanceLong < options.maxDistanceShort) {
      throw new Error('SpellingCorrector: invalid options');
    }
    this.maxDepth = options.maxDistanceLong;
    for (const word of frequency.keys()) {
      if (word.length < options.minLength - this.maxDepth || isPlaceholder(word) || /\d/.test(word)) continue;
      for (const key of deletes(word, this.maxDepth, new Set([word]))) {
        const list = this.index.get(key);
        if (list) list.push(word);
        else this.index.set(key, [word]);
      }
    }
  }

  /** The token itself when known, too short or unmatched; otherwise the nearest known word. */
  correct(token: string): string {
    if (this.frequency.has(token) || token.length < this.options.minLength || isPlaceholder(token) || /\d/.test(token)) {
      return token;
    }
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;

    const limit = token.length >= this.options.longFrom ? this.options.maxDistanceLong : this.options.maxDistanceShort;
    const candidates = new Set<string>();
    for (const key of deletes(token, limit, new Set([token]))) {
      for (const word of this.index.get(key) ?? []) candidates.add(word);
    }
    let best = token;
    let bestDistance = limit + 1;
    let bestFrequency = 0;
    for (const word of candidates) {
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
