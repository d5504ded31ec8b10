import PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer');
import { IOS_PATTERN, IPHONE_PATTERN, PERCENT_PATTERN, SIZE_PATTERN } from './entities';
import { SpellingCorrector, DEFAULT_SPELLING } from './spelling';
import type { SpellingOptions } from './spelling';
import { normalizeText, tokenize, isPlaceholder } from './text';

/** One message made ready for feature extraction. */
export interface Processed {
  /** Tokens as typed (after normalising and shorthand), for character n-grams. */
  raw: string[];
  /** Tokens after spelling correction. */
  corrected: string[];
  /** Porter stems of the corrected tokens (placeholders kept as they are). */
  stems: string[];
  /**
   * Share of tokens the training vocabulary does not know (after correction).
   * For a training message, words seen in no other training message count as
   * unknown, so the model learns what unseen words tend to mean (often: none).
   */
  unknown: number;
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

/** Normalise → mask → tokenise → correct spelling against the training vocabulary → stem. */
export class Preprocessor {
  private readonly speller: SpellingCorrector;
  private readonly frequency = new Map<string, number>();

  constructor(trainingTexts: readonly string[], spelling: SpellingOptions = DEFAULT_SPELLING) {
    const frequency = this.frequency;
    for (const text of trainingTexts) {
      for (const token of new Set(rawTokens(text))) frequency.set(token, (frequency.get(token) ?? 0) + 1);
    }
    this.speller = new SpellingCorrector(frequency, spelling);
  }

  /** `training`: the text is one of the training texts (see `Processed.unknown`). */
  process(text: string, training = false): Processed {
    const raw = rawTokens(text);
    const corrected = raw.map((t) => this.speller.correct(t));
    const floor = training ? 1 : 0;
    const unknown = corrected.filter((t) => !isPlaceholder(t) && (this.frequency.get(t) ?? 0) <= floor).length;
    return { raw, corrected, stems: corrected.map(stem), unknown: raw.length === 0 ? 0 : unknown / raw.length };
  }
}
