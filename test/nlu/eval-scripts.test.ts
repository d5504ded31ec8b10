import { latencyStats } from '../../scripts/baselines';
import { flatten, INDEPENDENT_PATH, loadDev, loadHeldout, loadLabelled, loadTraining, MIXED_PATH, regroup, stratifiedFolds } from '../../scripts/data';
import { baselineTable, crossValidate, scored } from '../../scripts/nlu-eval';
import { summarize } from '../../src/nlu/evaluate';
import { INTENTS } from '../../src/nlu/types';

describe('the evaluation scripts', () => {
  const training = flatten(loadTraining());

  it('deals every training example into exactly one stratified fold', () => {
    const folds = stratifiedFolds(training, 5);
    expect(folds.flat()).toHaveLength(training.length);
    expect(new Set(folds.flat())).toEqual(new Set(training));
    for (const intent of INTENTS) {
      const counts = folds.map((f) => f.filter((e) => e.intent === intent).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    // Same seed, same folds.
    expect(stratifiedFolds(training, 5)).toEqual(folds);
  });

  it('cross-validates: every example is classified once, by a model that did not see it', () => {
    const sample = INTENTS.flatMap((intent) => training.filter((e) => e.intent === intent).slice(0, 12));
    const predictions = crossValidate(sample, 3);
    expect(predictions.map((p) => p.text).sort()).toEqual(sample.map((e) => e.text).sort());
    expect(summarize(predictions).accuracy).toBeGreaterThan(0.5);
    expect(regroup(sample).map((g) => g.intent)).toEqual([...INTENTS]);
  });

  it('loads every evaluation set from the repository root (counts only)', () => {
    expect(loadHeldout().length).toBeGreaterThanOrEqual(300);
    expect(loadLabelled(INDEPENDENT_PATH).length).toBeGreaterThanOrEqual(400);
    expect(loadLabelled(MIXED_PATH).every((e) => e.style === 'mixed')).toBe(true);
    expect(loadDev().mixed.length).toBeGreaterThanOrEqual(50);
  });

  it('fits calibration on cross-validated predictions that carry every intent\'s probability', () => {
    const sample = INTENTS.flatMap((intent) => training.filter((e) => e.intent === intent).slice(0, 8));
    const s = scored(crossValidate(sample, 2));
    expect(s).toHaveLength(sample.length);
    expect(s[0]?.probabilities).toHaveLength(INTENTS.length);
  });

  it('summarises latencies and prints a timed-out baseline honestly', () => {
    const s = latencyStats(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(s).toMatchObject({ samples: 100, p50: 50, p99: 99, max: 100, mean: 50.5 });
    const rows = baselineTable(
      [{ name: 'natural-logreg', label: 'LR', status: 'timeout', elapsedMs: 120_000, detail: 'budget' }],
      386,
    );
    expect(rows[2]).toBe('| LR | — | — | — | — | — | > 120 s (stopped) | — |');
  });
});
