import { loadIntents } from '../../src/content/load-intents';
import { createNlu } from '../../src/nlu/classifier';
import { evaluate, mixedFigures } from '../../src/nlu/evaluate';
import { INDEPENDENT_PATH, MIXED_PATH, loadLabelled } from '../../scripts/data';
import { INTENTS_DIR } from './heldout';

/**
 * The floors on the frozen independent split and the frozen mixed messages,
 * a little under what `npm run nlu:eval` measured (reports/nlu-eval.md):
 * accuracy 0.968, none recall 1.000, in-scope → none 0.021; mixed messages:
 * specific intent in the top two 0.975 (3,550 training examples); the
 * issue's targets are ≥ 0.95, ≥ 0.95 and ≤ 0.03. A change to the engine or to intents/ that loses
 * ground on people the authors never met fails here. Nothing is printed, and a
 * failure shows only figures: the frozen texts and their errors are for the
 * team to read in the report, never for tuning.
 */
const FLOORS = {
  accuracy: 0.95,
  noneRecall: 0.95,
  maxInScopeToNone: 0.03,
  mixedTop2: 0.95,
};

describe('the frozen independent evaluation splits', () => {
  const nlu = createNlu(loadIntents(INTENTS_DIR));

  it('independent split: accuracy, none recall and in-scope → none stay above their floors', () => {
    const e = evaluate(nlu, loadLabelled(INDEPENDENT_PATH));
    expect({ accuracy: e.accuracy >= FLOORS.accuracy, noneRecall: e.noneRecall >= FLOORS.noneRecall }).toEqual({
      accuracy: true,
      noneRecall: true,
    });
    expect(e.inScopeToNone <= FLOORS.maxInScopeToNone).toBe(true);
  });

  it('mixed messages: the specific intent stays among the top two readings', () => {
    expect(mixedFigures(evaluate(nlu, loadLabelled(MIXED_PATH))).top2 >= FLOORS.mixedTop2).toBe(true);
  });
});
