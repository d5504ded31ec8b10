import { foldWords, wordTokens } from '../../content/fold-words';
import type { AnswerIntent, AnswerScore, Entity } from '../../nlu/types';

/** One button of a prompt, and how it is recognised when typed. */
export interface AnswerOption {
  label: string;
  means: readonly AnswerIntent[];
  words: readonly string[];
}

/** The kinds of prompt the bot waits on; each answers some meanings with its own reply. */
export type PromptKind = 'instruction' | 'question' | 'verify' | 'size' | 'stop' | 'clarify' | 'handoff' | 'rating';

/** What the active prompt offers; kept in the prompt's dialog state, so it is plain data. */
export interface PromptSpec {
  kind: PromptKind;
  options: readonly AnswerOption[];
}

/** The least confidence at which the answer model's reading counts, per answer intent. */
export type AnswerThresholds = Readonly<Record<AnswerIntent, number>>;

/** What the recogniser knows beyond the prompt: the model's thresholds, and words that say a meaning on their own. */
export interface AnswerLexicon {
  thresholds: AnswerThresholds;
  /** messages.yaml `answer_words`: "yep" says affirm at any prompt whose option means affirm. */
  meaningWords: Readonly<Partial<Record<AnswerIntent, readonly string[]>>>;
}

export type RecognizedAnswer =
  /** The text picks this option. */
  | { kind: 'option'; index: number; by: 'label' | 'number' | 'words' | 'meaning'; meaning?: AnswerIntent; confidence?: number }
  /** An answer to the question, but none of the options stands for it (e.g. "not sure", "it works now"). */
  | { kind: 'meaning'; intent: AnswerIntent; by: 'words' | 'meaning'; confidence?: number }
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
const NEGATORS = new Set(['not', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'havent', 'hasnt', 'never', 'without', 'cant', 'cannot', 'couldnt', 'wont', 'wouldnt', 'aint', 'nothing']);
const NEGATION_WINDOW = 3;
// A message that starts like a question asks about the words it contains rather than answering with them.
// ("where" is left out: "where is it?" is how people say they can't find it.)
const INTERROGATIVES = new Set(['what', 'whats', 'which', 'how', 'why', 'who', 'huh']);
const BARE_NUMBER = /^\s*(\d{1,2})\s*[.)]?\s*$/;
const POLAR: ReadonlySet<AnswerIntent> = new Set(['affirm', 'deny']);

/**
 * How a typed answer maps to the prompt on screen, in this order:
 * 1. the exact label or one of an option's words as the whole message, or a
 *    bare number ("2") for the option in that place (at a size prompt, a size
 *    or a bare number is the value asked for);
 * 2. the longest phrase the text contains among the options' own words and
 *    the words of every meaning (`answer_words`), unless negated ("not
 *    green") or asked about ("what home button?"); a tie between options
 *    decides nothing;
 * 3. the answer model's reading above its threshold;
 * a meaning found in 2 or 3 picks the option that stands for it, or stays a
 * bare meaning when none does ("it works now" at any prompt, "no idea" at a
 * yes/no question);
 * otherwise nothing. A number inside free text ("I have 2 GB free") is never
 * an option's place. Used by the prompts and by the interruption check alike,
 * so the two can never disagree.
 */
export function recognizeAnswer(prompt: PromptSpec, reading: AnswerReading, lexicon: AnswerLexicon): RecognizedAnswer {
  const { options } = prompt;
  const phrases = promptPhrases(options, lexicon.meaningWords);
  const folded = foldWords(reading.text);
  const byLabel = options.findIndex((o) => folded !== '' && foldWords(o.label) === folded);
  if (byLabel >= 0) return { kind: 'option', index: byLabel, by: 'label' };
  const exact = folded === '' ? undefined : phrases.byText.get(folded);
  if (exact) return pick(exact, 'words');
  const number = BARE_NUMBER.exec(reading.text);
  if (prompt.kind === 'size') {
    if (number || reading.entities.some((e) => e.entity === 'size')) return { kind: 'value' };
  } else if (number) {
    const place = Number(number[1]);
    if (place >= 1 && place <= options.length) return { kind: 'option', index: place - 1, by: 'number' };
  }

  const tokens = wordTokens(reading.text);
  const byWords = INTERROGATIVES.has(tokens[0] ?? '') ? undefined : longestPhrase(phrases.telling, tokens);
  if (byWords) return pick(byWords, 'words');
  const top = understoodMeaning(reading.answer_ranking, lexicon.thresholds);
  if (!top) return { kind: 'none' };
  const index = options.findIndex((o) => o.means.includes(top.name));
  return pick({ option: index >= 0 ? index : undefined, meaning: top.name, confidence: top.confidence }, 'meaning');
}

function pick(found: { option?: number; meaning?: AnswerIntent; confidence?: number }, by: 'words' | 'meaning'): RecognizedAnswer {
  const extra = { ...(found.confidence !== undefined ? { confidence: found.confidence } : {}) };
  if (found.option !== undefined) return { kind: 'option', index: found.option, by, ...(found.meaning ? { meaning: found.meaning } : {}), ...extra };
  return { kind: 'meaning', intent: found.meaning!, by, ...extra };
}

/** A phrase that says something: an option's own word, or a meaning's word (with the option that means it, if any). */
interface Phrase {
  option?: number;
  words: string[];
  meaning?: AnswerIntent;
}

/** The options' own words, and every meaning's words with the option that stands for that meaning, if any. */
function optionPhrases(options: readonly AnswerOption[], meaningWords: AnswerLexicon['meaningWords']): Phrase[] {
  const own = options.flatMap((o, option) => o.words.map((w): Phrase => ({ option, words: wordTokens(w) })));
  const meanings = tokenizedMeaningWords(meaningWords).map((p): Phrase => {
    const index = options.findIndex((o) => o.means.includes(p.meaning!));
    return index >= 0 ? { ...p, option: index } : p;
  });
  return [...own, ...meanings].filter((p) => p.words.length > 0);
}

/** A prompt's phrases: all of them by their text (the first one for a text), and those that tell something inside a longer message. */
interface PromptPhrases {
  byText: Map<string, Phrase>;
  telling: Phrase[];
}

// Made once per prompt, not on every reading (they were most of a reading's cost): prompts come from the
// content, so there are as many as it has; the bound only guards against a surprise.
const madePhrases = new WeakMap<object, Map<string, PromptPhrases>>();
const MAX_PROMPTS = 1000;
function promptPhrases(options: readonly AnswerOption[], meaningWords: AnswerLexicon['meaningWords']): PromptPhrases {
  let made = madePhrases.get(meaningWords);
  if (!made) madePhrases.set(meaningWords, (made = new Map()));
  const key = JSON.stringify(options);
  let phrases = made.get(key);
  if (!phrases) {
    const all = optionPhrases(options, meaningWords);
    const byText = new Map<string, Phrase>();
    for (const p of all) if (!byText.has(p.words.join(' '))) byText.set(p.words.join(' '), p);
    // A yes or a no that no option stands for counts only as a phrase of two words or more (or the whole
    // message, above): a lone "no" inside "there's no Show All" says nothing, while "fixed" says it works anywhere.
    const telling = all.filter((p) => p.option !== undefined || p.words.length > 1 || !POLAR.has(p.meaning!));
    if (made.size >= MAX_PROMPTS) made.clear();
    made.set(key, (phrases = { byText, telling }));
  }
  return phrases;
}

// The content's meaning words, tokenised once (they are the same every turn; a prompt's options are not).
const tokenized = new WeakMap<object, Phrase[]>();
function tokenizedMeaningWords(meaningWords: AnswerLexicon['meaningWords']): Phrase[] {
  let phrases = tokenized.get(meaningWords);
  if (!phrases) {
    phrases = (Object.entries(meaningWords) as Array<[AnswerIntent, readonly string[]]>).flatMap(([meaning, words]) =>
      words.map((w) => ({ words: wordTokens(w), meaning })),
    );
    tokenized.set(meaningWords, phrases);
  }
  return phrases;
}

/** The answer model's top reading when it is an answer intent at or above its threshold. */
function understoodMeaning(ranking: readonly AnswerScore[], thresholds: AnswerThresholds): { name: AnswerIntent; confidence: number } | undefined {
  const top = ranking[0];
  if (!top || top.name === 'other') return undefined;
  return top.confidence >= thresholds[top.name] ? { name: top.name, confidence: top.confidence } : undefined;
}

/**
 * The longest non-negated phrase found in the text; undefined when none, or
 * when two options (or two bare meanings) tie. At equal length a button's
 * phrase beats a bare meaning's ("green ✅" is green).
 */
function longestPhrase(phrases: readonly Phrase[], tokens: readonly string[]): Phrase | undefined {
  let best: Phrase | undefined;
  let tie = false;
  const words = new Set(tokens);
  for (const phrase of phrases) {
    if (best && phrase.words.length < best.words.length) continue;
    if (!words.has(phrase.words[0]!)) continue;
    if (!containsUnnegated(tokens, phrase.words)) continue;
    if (!best || phrase.words.length > best.words.length || (best.option === undefined && phrase.option !== undefined)) {
      best = phrase;
      tie = false;
    } else if (target(phrase) !== target(best) && (phrase.option !== undefined) === (best.option !== undefined)) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** What a phrase points at: its option, or its bare meaning when no option stands for it. */
function target(phrase: Phrase): string {
  return phrase.option !== undefined ? `option ${phrase.option}` : `meaning ${phrase.meaning}`;
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
