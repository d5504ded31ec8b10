import { foldExample } from '../../src/content/load-intents';
import { INTENTS } from '../../src/nlu/types';
import { DEV_PATH, loadDev, loadLabelled } from '../../scripts/data';
import { INTENTS_DIR } from './heldout';
import { splitTexts, trainingTexts } from './split-texts';

/**
 * The development set is read and tuned on, so it must stay apart from both
 * sides: never trained on (no message in intents/), and never a copy of a
 * frozen message (tuning on it would tune on the frozen splits).
 */
describe('the development set (test/nlu/dev.yaml)', () => {
  const dev = loadLabelled(DEV_PATH);

  it('has first messages of every intent and mixed ones, each with a style', () => {
    const { first, mixed } = loadDev();
    expect(first.length).toBeGreaterThanOrEqual(300);
    expect(mixed.length).toBeGreaterThanOrEqual(50);
    for (const intent of INTENTS) expect(first.some((e) => e.intent === intent)).toBe(true);
    expect(dev.filter((e) => typeof e.style !== 'string')).toEqual([]);
  });

  it('shares no message with intents/', () => {
    const training = trainingTexts(INTENTS_DIR);
    expect(dev.filter((e) => training.has(foldExample(e.text))).map((e) => e.text)).toEqual([]);
  });

  it('shares no message with the frozen splits (counted, never shown)', () => {
    const frozen = new Set(['heldout-independent.yaml', 'heldout-mixed.yaml'].flatMap(splitTexts).map(foldExample));
    expect(dev.filter((e) => frozen.has(foldExample(e.text))).length).toBe(0);
  });
});
