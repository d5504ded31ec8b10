import { extractEntities, INTENTS } from '../../src/nlu';
import type { IntentName, IntentScore, Nlu, ParseResult } from '../../src/nlu';

/** Phrases the dialog tests use for the conversation moves, fixed so they do not depend on the classifier. */
export const SAY = {
  help: 'what can you do',
  human: 'talk to a person',
  cancel: 'start over',
  thanks: 'thanks a lot',
  hello: 'hello there',
} as const;

// A Map: user words are looked up here, and "constructor" must not find Object.prototype's.
const FIXED = new Map<string, IntentName>([
  [SAY.help, 'help'],
  [SAY.human, 'human_agent'],
  [SAY.cancel, 'cancel'],
  [SAY.thanks, 'thanks'],
  [SAY.hello, 'greeting'],
]);

/**
 * A classifier stand-in for dialog tests: "#intent rest of text" means that
 * intent with full confidence; a line in `rankings` gives an exact ranking
 * (to test the grey zone); anything else is 'none' at low confidence.
 * Entities come from the real extractor.
 */
export class StubNlu implements Nlu {
  private readonly rankings: ReadonlyMap<string, IntentScore[]>;

  constructor(rankings: Readonly<Record<string, IntentScore[]>> = {}) {
    this.rankings = new Map(Object.entries(rankings));
  }

  parse(text: string): ParseResult {
    const key = text.trim().toLowerCase();
    const tagged = /^#(\w+)/.exec(key)?.[1];
    let ranking: IntentScore[];
    const fixed = FIXED.get(key);
    if (this.rankings.has(key)) ranking = this.rankings.get(key)!;
    else if (tagged && (INTENTS as readonly string[]).includes(tagged)) ranking = sure(tagged as IntentName);
    else if (fixed) ranking = sure(fixed);
    else ranking = [{ name: 'none', confidence: 0.1 }, ...INTENTS.filter((i) => i !== 'none').map((name) => ({ name, confidence: 0.9 / 14 }))];
    return { text, intent: ranking[0]!, intent_ranking: ranking, entities: extractEntities(text), answer_ranking: [] };
  }
}

function sure(name: IntentName): IntentScore[] {
  return [{ name, confidence: 0.99 }, ...INTENTS.filter((i) => i !== name).map((n) => ({ name: n, confidence: 0.01 / 14 }))];
}
