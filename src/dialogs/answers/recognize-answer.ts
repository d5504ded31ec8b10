import { foldWords, wordTokens } from '../../content/fold-words';
import type { AnswerIntent, AnswerScore, Entity } from '../../nlu/types';

/** One button of a prompt, and how it is recognised when typed. */
export interface AnswerOption {
  label: string;
  means: readonly AnswerIntent[];
  words: readonly string[];
}

/** The kinds of prompt the bot waits on; each answers some meanings with its own reply. */
export type PromptKind = 'instruction' | 'question' | 'verify' | 'size' | 'stop' | 'clarify';

/** What the active prompt offers; kept in the prompt's dialog state, so it is plain data. */
export interface PromptSpec {
  kind: PromptKind;
  options: readonly AnswerOption[];
}

/** The least confidence at which the answer model's reading counts, per answer intent. */
export type AnswerThresholds = Readonly<Record<AnswerIntent, number>>;

export type RecognizedAnswer =
  /** The text picks this option. */
  | { kind: 'option'; index: number; by: 'label' | 'number' | 'words' | 'meaning'; meaning?: AnswerIntent }
  /** An answer to the question, but none of the options stands for it (e.g. "not sure", "it works now"). */
  | { kind: 'meaning'; intent: AnswerIntent }
  /** A value the prompt asked for (a size, at a size prompt). */
  | { kind: 'value' }
  | { kind: 'none' };

/** What the recogniser reads: the text and the answer model's ranking of it. */
export interface AnswerReading {
  text: string;
  answer_ranking: readonly AnswerScore[];
  entities: readonly Entity[];
}

// A word that turns the phrase after it around: "not done", "I don't see it green". "no" only right before.
const NEGATORS = new Set(['not', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'havent', 'hasnt', 'never', 'without', 'cant', 'cannot', 'wont', 'nothing']);
const NEGATION_WINDOW = 3;
const BARE_NUMBER = /^\s*(\d{1,2})\s*[.)]?\s*$/;

/**
 * How a typed answer maps to the prompt on screen, in this order:
 * 1. the exact label, or a bare number ("2") for the option in that place
 *    (at a size prompt, a size or a bare number is the value asked for);
 * 2. "it works now" (the answer model's `solved`): success is understood at any prompt;
 * 3. the longest of an option's own words the text contains, unless negated
 *    ("not green"); a tie between options decides nothing;
 * 4. the answer model's reading above its threshold: the option that means it,
 *    or the bare meaning when no option does;
 * otherwise nothing. A number inside free text ("I have 2 GB free") is never
 * an option's place. Used by the prompts and by the interruption check alike,
 * so the two can never disagree.
 */
export function recognizeAnswer(prompt: PromptSpec, reading: AnswerReading, thresholds: AnswerThresholds): RecognizedAnswer {
  const { options } = prompt;
  const folded = foldWords(reading.text);
  const byLabel = options.findIndex((o) => foldWords(o.label) === folded && folded !== '');
  if (byLabel >= 0) return { kind: 'option', index: byLabel, by: 'label' };
  const number = BARE_NUMBER.exec(reading.text);
  if (prompt.kind === 'size') {
    if (number || reading.entities.some((e) => e.entity === 'size')) return { kind: 'value' };
  } else if (number) {
    const place = Number(number[1]);
    if (place >= 1 && place <= options.length) return { kind: 'option', index: place - 1, by: 'number' };
  }

  const meaning = understoodMeaning(reading.answer_ranking, thresholds);
  const meaningOption = (intent: AnswerIntent): RecognizedAnswer => {
    const index = options.findIndex((o) => o.means.includes(intent));
    return index >= 0 ? { kind: 'option', index, by: 'meaning', meaning: intent } : { kind: 'meaning', intent };
  };
  if (meaning === 'solved') return meaningOption('solved');

  const byWords = longestWordMatch(options, wordTokens(reading.text));
  if (byWords !== undefined) return { kind: 'option', index: byWords, by: 'words' };
  return meaning ? meaningOption(meaning) : { kind: 'none' };
}

/** The answer model's top reading when it is an answer intent at or above its threshold. */
function understoodMeaning(ranking: readonly AnswerScore[], thresholds: AnswerThresholds): AnswerIntent | undefined {
  const top = ranking[0];
  if (!top || top.name === 'other') return undefined;
  return top.confidence >= thresholds[top.name] ? top.name : undefined;
}

/** The option owning the longest non-negated phrase found in the text; undefined when none, or on a tie. */
function longestWordMatch(options: readonly AnswerOption[], tokens: readonly string[]): number | undefined {
  let best: number | undefined;
  let bestLength = 0;
  let tie = false;
  options.forEach((option, index) => {
    for (const phrase of option.words) {
      const words = wordTokens(phrase);
      if (words.length === 0 || words.length < bestLength) continue;
      if (!containsUnnegated(tokens, words)) continue;
      if (words.length > bestLength) {
        best = index;
        bestLength = words.length;
        tie = false;
      } else if (best !== index) {
        tie = true;
      }
    }
  });
  return tie ? undefined : best;
}

function containsUnnegated(tokens: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    if (!phrase.every((w, i) => tokens[start + i] === w)) continue;
    if (!negated(tokens, start)) return true;
  }
  return false;
}

function negated(tokens: readonly string[], start: number): boolean {
  if (tokens[start - 1] === 'no') return true;
  for (let i = Math.max(0, start - NEGATION_WINDOW); i < start; i++) if (NEGATORS.has(tokens[i]!)) return true;
  return false;
}
