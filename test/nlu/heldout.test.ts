import { writeFileSync } from 'node:fs';
import { foldExample, loadIntents } from '../../src/content/load-intents';
import { createNlu } from '../../src/nlu/classifier';
import { evaluate, formatReport, thresholdCurve } from '../../src/nlu/evaluate';
import { DEFAULT_THRESHOLDS } from '../../src/nlu/thresholds';
import { INTENTS } from '../../src/nlu/types';
import { INTENTS_DIR, loadHeldout } from './heldout';

/**
 * The old held-out split, written by the authors of intents/ (the frozen
 * independent split has its own floors in independent.test.ts). Floors a
 * little under what it measures (reports/nlu-eval.md, 1,864 training
 * examples): accuracy 0.951, none recall 0.920 (46/50), in-scope → none 0.033. The
 * old floors (0.93 / 0.90 / 0.05) stay: this split was written by the same
 * people as intents/, so it is the easier one.
 * Set `NLU_REPORT=path.md` to also write the full report (per-intent P/R/F1,
 * misclassified messages, confusion matrix); `npm run nlu:eval` writes the
 * complete one (every split, cross-validation, calibration, baselines).
 */
const FLOORS = {
  accuracy: 0.93,
  noneRecall: 0.9,
  maxInScopeToNone: 0.05,
  routedPrecision: 0.96,
  askedTop3: 0.92,
};

describe('the held-out evaluation split', () => {
  const intents = loadIntents(INTENTS_DIR);
  const heldout = loadHeldout();

  it('covers every intent and shares no message with the training examples', () => {
    const training = new Set(intents.flatMap((g) => g.examples.map(foldExample)));
    const leaked = heldout.filter((e) => training.has(foldExample(e.text)));
    expect(leaked).toEqual([]);
    // 20 per intent as written; exclude_videos kept 17 after 7 bare "stuck at N %" messages were
    // relabelled backup_not_working (the labelling rule in intents/), so every intent has at least 15.
    for (const intent of INTENTS) {
      expect(heldout.filter((e) => e.intent === intent).length).toBeGreaterThanOrEqual(15);
    }
  });

  it('is classified above the floors, and the figures are reported', () => {
    const started = process.hrtime.bigint();
    const nlu = createNlu(intents);
    const trainMs = Number(process.hrtime.bigint() - started) / 1e6;
    const e = evaluate(nlu, heldout);

    const curve = thresholdCurve(e.predictions)
      .map((p) => `  ≥${p.threshold.toFixed(2)}: coverage ${p.coverage.toFixed(3)} precision ${p.precision.toFixed(3)}`)
      .join('\n');
    const { route, ask } = DEFAULT_THRESHOLDS;
    const routed = e.predictions.filter((p) => p.confidence >= route);
    const asked = e.predictions.filter((p) => p.confidence >= ask && p.confidence < route);
    const fallen = e.predictions.filter((p) => p.confidence < ask);
    const share = (n: number): string => (n / e.total).toFixed(3);
    console.log(
      [
        `held-out: ${e.total} messages, trained in ${trainMs.toFixed(0)} ms`,
        `accuracy ${e.accuracy.toFixed(3)}, none recall ${e.noneRecall.toFixed(3)}, in-scope → none ${e.inScopeToNone.toFixed(3)}`,
        `thresholds route ${route} / ask ${ask}:`,
        `  routed ${share(routed.length)} (right ${(routed.filter((p) => p.predicted === p.intent).length / Math.max(1, routed.length)).toFixed(3)})`,
        `  asked ${share(asked.length)} (right reading among top 3: ${(asked.filter((p) => p.rank <= 3).length / Math.max(1, asked.length)).toFixed(3)})`,
        `  fell back ${share(fallen.length)} (top reading right anyway: ${(fallen.filter((p) => p.predicted === p.intent).length / Math.max(1, fallen.length)).toFixed(3)})`,
        'route-threshold curve:',
        curve,
        `misclassified (${e.errors.length}):`,
        ...e.errors.map((p) => `  ${p.intent} → ${p.predicted} ${p.confidence.toFixed(2)} | ${p.text}`),
      ].join('\n'),
    );
    if (process.env.NLU_REPORT) writeFileSync(process.env.NLU_REPORT, formatReport(e, 'NLU held-out evaluation'));

    expect(e.accuracy).toBeGreaterThanOrEqual(FLOORS.accuracy);
    expect(e.noneRecall).toBeGreaterThanOrEqual(FLOORS.noneRecall);
    expect(e.inScopeToNone).toBeLessThanOrEqual(FLOORS.maxInScopeToNone);
    // The thresholds keep their promise: routed messages are right, asked ones offer the right reading.
    expect(routed.filter((p) => p.predicted === p.intent).length / routed.length).toBeGreaterThanOrEqual(
      FLOORS.routedPrecision,
    );
    expect(asked.filter((p) => p.rank <= 3).length / asked.length).toBeGreaterThanOrEqual(FLOORS.askedTop3);
  });

  it('uses thresholds with 0 < ask < route < 1', () => {
    const { route, ask } = DEFAULT_THRESHOLDS;
    expect(0 < ask && ask < route && route < 1).toBe(true);
  });
});
