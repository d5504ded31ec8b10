import type { MenuItem } from '../content/types';
import type { IntentName, ParseResult } from '../nlu/types';
import { DEFAULT_ANSWER_THRESHOLDS } from '../nlu/answer-thresholds';
import { DEFAULT_THRESHOLDS } from '../nlu/thresholds';
import type { AnswerThresholds } from './answers/recognize-answer';

export interface Thresholds {
  /** At or above: act on the top intent. */
  route: number;
  /** At or above (and below route): ask which of the top readings was meant. */
  ask: number;
  /** Per answer intent: the least confidence at which a typed answer's meaning counts. */
  answers: AnswerThresholds;
}

/** The measured thresholds (src/nlu), with the route / ask overrides config may give. */
export function dialogThresholds(overrides: { route?: number; ask?: number } = {}): Thresholds {
  return {
    route: overrides.route ?? DEFAULT_THRESHOLDS.route,
    ask: overrides.ask ?? DEFAULT_THRESHOLDS.ask,
    answers: DEFAULT_ANSWER_THRESHOLDS,
  };
}

export type Decision =
  | { kind: 'route'; intent: IntentName }
  | { kind: 'clarify'; intents: IntentName[] }
  | { kind: 'android' }
  | { kind: 'fallback' };

export interface RoutingRules {
  thresholds: Pick<Thresholds, 'route' | 'ask'>;
  menu: readonly MenuItem[];
  androidWords: readonly string[];
  /** Intents that start a fix of their own (from content): the specific causes. */
  fixIntents: ReadonlySet<IntentName>;
}

// A reading this unlikely is noise, not worth a button.
const MIN_CLARIFY_CONFIDENCE = 0.05;

/** The complaint that troubleshooting is needed, without a cause: it starts the whole sequence. */
export const GENERIC_COMPLAINT: IntentName = 'backup_not_working';
/**
 * A specific cause read this strongly beside the generic complaint decides
 * where troubleshooting starts ("could Apple's servers be the problem? my
 * backup keeps failing" starts at the status fix). Swept on the development
 * set (test/nlu/dev.yaml): at 0.25 its mixed messages start at the cause 58
 * times of 62 (56 without the rule) and its generic complaints still at fix 1
 * 27 of 29; from 0.15 down more mixed ones gain and generic ones are lost.
 */
export const MIXED_CAUSE_MIN = 0.25;

/** Decides what to do with a message that arrives when no dialog is running. */
export function decide(parse: ParseResult, rules: RoutingRules): Decision {
  const text = normalise(parse.text);
  const menuItem = rules.menu.find((m) => normalise(m.label) === text);
  if (menuItem) return { kind: 'route', intent: menuItem.intent };
  if (mentionsAndroid(text, rules.androidWords)) return { kind: 'android' };

  const { name, confidence } = parse.intent;
  const { route, ask } = rules.thresholds;
  const cause = specificCause(parse, rules);
  if (cause) return { kind: 'route', intent: cause };
  if (confidence >= route) return { kind: 'route', intent: name };
  if (name === 'none') return confidence >= ask ? { kind: 'route', intent: 'none' } : { kind: 'fallback' };
  if (confidence >= ask) {
    const readings = parse.intent_ranking.filter((r) => r.name !== 'none');
    const intents = readings
      .filter((r, i) => i < 2 || r.confidence >= MIN_CLARIFY_CONFIDENCE)
      .slice(0, 3)
      .map((r) => r.name);
    return { kind: 'clarify', intents };
  }
  return { kind: 'fallback' };
}

/**
 * A message that is about troubleshooting (its top reading is the generic
 * complaint or a cause) and names a specific cause: that cause, when the
 * generic and the cause together reach the route threshold. The generic
 * complaint decides only when nothing more specific is there.
 */
function specificCause(parse: ParseResult, { fixIntents, thresholds }: RoutingRules): IntentName | undefined {
  const top = parse.intent.name;
  if (top !== GENERIC_COMPLAINT && !fixIntents.has(top)) return undefined;
  const cause = parse.intent_ranking.find((r) => fixIntents.has(r.name));
  const generic = parse.intent_ranking.find((r) => r.name === GENERIC_COMPLAINT)?.confidence ?? 0;
  if (!cause || cause.confidence < MIXED_CAUSE_MIN) return undefined;
  return cause.confidence + generic >= thresholds.route ? cause.name : undefined;
}

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Android is out of scope unless the message is also about an iPhone (people switch phones). */
function mentionsAndroid(text: string, words: readonly string[]): boolean {
  if (/\b(iphone|ios|icloud)\b/.test(text)) return false;
  return words.some((w) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
}
