import PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer');
import { IOS_PATTERN, IPHONE_PATTERN, PERCENT_PATTERN, SIZE_PATTERN } from './entities';
import type { Lexicon } from './lexicon';
import { DEFAULT_NEIGHBOURS, WordNeighbours } from './neighbours';
import type { NeighbourOptions } from './neighbours';
import { SpellingCorrector, DEFAULT_SPELLING } from './spelling';
import type { SpellingOptions } from './spelling';
import { normalizeText, tokenize, isPlaceholder } from './text';

/** One message made ready for feature extraction. */
export interface Processed {
  /** Tokens as typed (after normalising and shorthand), for character n-grams. */
  raw: string[];
  /** Tokens after spelling correction and unknown real words replaced by their nearest training word. */
  corrected: string[];
  /** Porter stems of the corrected tokens (placeholders kept as they are). */
  stems: string[];
  /**
   * Share of tokens the training vocabulary does not know (after correction).
   * For a training message, words seen in no other training message count as
   * unknown, so the model learns what unseen words tend to mean (often: none).
   */
  unknown: number;
  /**
   * Share of tokens that are no word at all: not in the training vocabulary,
   * not a real English word, not a typo of a training word ("asdfgh", "jjjj").
   * Always 0 for a training message: it is a parse-time reading.
   */
  nonword: number;
  /**
   * The message's meaning as the unit-length mean of its words' vectors
   * (function words left out), when a lexicon is used and a word has one.
   */
  meaning?: Float64Array;
}

/**
 * Replaces values by placeholder tokens so "3.4 GB" and "800mb" look alike to
 * the model: sizes → __size__, percentages → __pct__, iOS versions → ios __ver__,
 * iPhone models → iphone __model__, other numbers → __num__.
 */
export function maskValues(normalized: string): string {
  return normalized
    .replace(SIZE_PATTERN, ' __size__ ')
    .replace(PERCENT_PATTERN, ' __pct__ ')
    .replace(IOS_PATTERN, ' ios __ver__ ')
    .replace(IPHONE_PATTERN, ' iphone __model__ ')
    .replace(/\d+(?:[.,]\d+)*/g, ' __num__ ');
}

/** Tokens of a message before spelling correction: what the vocabulary is built from. */
export function rawTokens(text: string): string[] {
  return tokenize(maskValues(normalizeText(text)));
}

const stemCache = new Map<string, string>();
export function stem(token: string): string {
  if (isPlaceholder(token)) return token;
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = PorterStemmer.stem(token);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(token, stemmed);
  }
  return stemmed;
}

/** Tokens of one or two letters no vocabulary vouches for ("j", "xd") count as no word. */
const SHORTEST_WORD = 3;

/**
 * Normalise → mask → tokenise → for each token the training vocabulary does
 * not know: a real English word (lexicon) is replaced by its nearest training
 * word when one is near enough in meaning, anything else is spelling-corrected
 * against the training vocabulary → stem. Without a lexicon every unknown
 * token is spelling-corrected.
 */
export class Preprocessor {
  private readonly speller: SpellingCorrector;
  private readonly frequency = new Map<string, number>();
  private readonly neighbours: WordNeighbours | undefined;
  private readonly skipTopRanks: number;

  constructor(
    trainingTexts: readonly string[],
    spelling: SpellingOptions = DEFAULT_SPELLING,
    private readonly lexicon?: Lexicon,
    neighbours: NeighbourOptions = DEFAULT_NEIGHBOURS,
    /** Compute `Processed.meaning` (only the mean-word-vector feature reads it). */
    private readonly withMeaning = true,
  ) {
    const frequency = this.frequency;
    for (const text of trainingTexts) {
      for (const token of new Set(rawTokens(text))) frequency.set(token, (frequency.get(token) ?? 0) + 1);
    }
    this.speller = new SpellingCorrector(frequency, spelling);
    this.neighbours = lexicon ? new WordNeighbours(lexicon, frequency.keys(), neighbours) : undefined;
    this.skipTopRanks = neighbours.skipTopRanks;
  }

  /** `training`: the text is one of the training texts (see `Processed.unknown`). */
  process(text: string, training = false): Processed {
    const raw = rawTokens(text);
    const floor = training ? 1 : 0;
    const corrected: string[] = [];
    let unknown = 0;
    let nonword = 0;
    // The words whose vectors make up the meaning: a real word as typed, anything else as corrected.
    const meaningful: string[] = [];
    for (const token of raw) {
      const seen = this.frequency.get(token) ?? 0;
      if (isPlaceholder(token) || seen > 0) {
        corrected.push(token);
        meaningful.push(token);
        if (!isPlaceholder(token) && seen <= floor) unknown++;
        continue;
      }
      const real = this.lexicon !== undefined && token.length >= SHORTEST_WORD && this.lexicon.has(token);
      if (real) {
        const near = this.neighbours?.nearest(token);
        corrected.push(near ? near.word : token);
        meaningful.push(token);
        // A stand-in is only as known as it is near.
        unknown += near ? 1 - near.similarity : 1;
        continue;
      }
      const fixed = this.speller.correct(token);
      corrected.push(fixed);
      meaningful.push(fixed);
      if (fixed === token) {
        unknown++;
        if (this.lexicon !== undefined && !/\d/.test(token)) nonword++;
      }
    }
    const n = raw.length === 0 ? 1 : raw.length;
    const processed: Processed = {
      raw,
      corrected,
      stems: corrected.map(stem),
      unknown: unknown / n,
      nonword: training ? 0 : nonword / n,
    };
    const meaning = this.withMeaning ? this.meaningOf(meaningful) : undefined;
    if (meaning) processed.meaning = meaning;
    return processed;
  }

  private meaningOf(words: readonly string[]): Float64Array | undefined {
    const lexicon = this.lexicon;
    if (!lexicon) return undefined;
    let sum: Float64Array | undefined;
    for (const word of words) {
      if (isPlaceholder(word) || lexicon.rankOf(word) < this.skipTopRanks) continue;
      const v = lexicon.vector(word);
      if (!v) continue;
      sum ??= new Float64Array(lexicon.dims);
      for (let d = 0; d < v.length; d++) sum[d] = (sum[d] as number) + (v[d] as number);
    }
    if (!sum) return undefined;
    const norm = Math.hypot(...sum);
    if (norm === 0) return undefined;
    for (let d = 0; d < sum.length; d++) sum[d] = (sum[d] as number) / norm;
    return sum;
  }
}
