import type { MenuItem } from '../content/types';
import type { IntentName, ParseResult } from '../nlu/types';
import type { AnswerThresholds } from './answers/recognize-answer';

export interface Thresholds {
  /** At or above: act on the top intent. */
  route: number;
  /** At or above (and below route): ask which of the top readings was meant. */
  ask: number;
  /** Per answer intent: the least confidence at which a typed answer's meaning counts. */
  answers: AnswerThresholds;
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
}

// A reading this unlikely is noise, not worth a button.
const MIN_CLARIFY_CONFIDENCE = 0.05;

/** Decides what to do with a message that arrives when no dialog is running. */
export function decide(parse: ParseResult, rules: RoutingRules): Decision {
  const text = normalise(parse.text);
  const menuItem = rules.menu.find((m) => normalise(m.label) === text);
  if (menuItem) return { kind: 'route', intent: menuItem.intent };
  if (mentionsAndroid(text, rules.androidWords)) return { kind: 'android' };

  const { name, confidence } = parse.intent;
  const { route, ask } = rules.thresholds;
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

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Android is out of scope unless the message is also about an iPhone (people switch phones). */
function mentionsAndroid(text: string, words: readonly string[]): boolean {
  if (/\b(iphone|ios|icloud)\b/.test(text)) return false;
  return words.some((w) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
}
