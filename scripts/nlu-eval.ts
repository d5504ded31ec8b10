/**
 * `npm run nlu:eval`: how well the NLU understands, in a report a person reads.
 *
 * - The frozen independent split (test/nlu/heldout-independent.yaml), with a
 *   per-style breakdown, and the frozen mixed messages (heldout-mixed.yaml):
 *   written without seeing intents/, never trained or tuned on. Their
 *   misclassified lists are in the report for the team to read later; the
 *   engineer tuning the model reads aggregate figures only, rarely.
 * - The old held-out split (heldout.yaml, written by the authors of intents/)
 *   and the development set (dev.yaml, the tuning set).
 * - 5-fold stratified cross-validation over intents/ (every training example
 *   classified once by a model that did not see it).
 * - Calibration: reliability curves and expected calibration error; the
 *   temperature fitted on the cross-validated predictions.
 * - The route / ask threshold curve and what the chosen thresholds do.
 * - What each part of the model buys (cross-validation and dev set with it
 *   switched off) and costs (training time).
 * - Baselines, same training data, same run.
 *
 * Writes reports/nlu-eval.md and reports/nlu-eval.json; prints a summary.
 * Options: --folds N (5), --no-baselines, --no-ablation, --budget SECONDS
 * (natural's logistic regression, 120), --reps N (classification repetitions
 * for the baselines' latency, 20), --out DIR (reports/), --hide-frozen (print
 * no frozen-split figure on the console; the report still has them).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fitTemperature } from '../src/nlu/calibration';
import type { Scored } from '../src/nlu/calibration';
import { createNlu, DEFAULT_NLU_OPTIONS } from '../src/nlu/classifier';
import type { NluOptions } from '../src/nlu/classifier';
import {
  evaluate,
  formatSections,
  macroF1,
  mixedFigures,
  reliability,
  styleBreakdown,
  summarize,
  thresholdCurve,
  thresholdOutcome,
} from '../src/nlu/evaluate';
import type { Evaluation, LabelledExample, Prediction, Reliability, ThresholdOutcome } from '../src/nlu/evaluate';
import { DEFAULT_THRESHOLDS } from '../src/nlu/thresholds';
import { INTENTS } from '../src/nlu/types';
import { BASELINES, runBaseline } from './baselines';
import type { BaselineResult } from './baselines';
import { argValue } from './cli-args';
import {
  DEV_PATH,
  flatten,
  HELDOUT_PATH,
  INDEPENDENT_PATH,
  INTENTS_DIR,
  loadDev,
  loadHeldout,
  loadLabelled,
  loadTraining,
  MIXED_PATH,
  regroup,
  REPO_ROOT,
  REPORTS_DIR,
  stratifiedFolds,
} from './data';

/** k-fold cross-validated predictions over the labelled examples. */
export function crossValidate(
  examples: readonly LabelledExample[],
  k = 5,
  options: Partial<NluOptions> = {},
  seed = 7,
): Prediction[] {
  const folds = stratifiedFolds(examples, k, seed);
  const predictions: Prediction[] = [];
  folds.forEach((test, i) => {
    const train = folds.filter((_, j) => j !== i).flat();
    const nlu = createNlu(regroup(train), options);
    predictions.push(...evaluate(nlu, test).predictions);
  });
  return predictions;
}

/** Predictions as temperature fitting takes them. */
export function scored(predictions: readonly Prediction[]): Scored[] {
  return predictions
    .filter((p) => p.probabilities !== undefined)
    .map((p) => ({ probabilities: p.probabilities as number[], truth: INTENTS.indexOf(p.intent) }));
}

/** sha256 over the intents files, so a report names the training content it measured. */
function contentHash(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    hash.update(name).update('\0').update(readFileSync(join(dir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const ms = (x: number | undefined): string => (x === undefined ? '—' : x < 10 ? x.toFixed(3) : x.toFixed(0));

function headline(e: Evaluation): Record<string, number> {
  return {
    total: e.total,
    accuracy: e.accuracy,
    noneRecall: e.noneRecall,
    inScopeToNone: e.inScopeToNone,
    macroF1: macroF1(e),
  };
}

function jsonEvaluation(e: Evaluation): Record<string, unknown> {
  return {
    ...headline(e),
    perIntent: e.perIntent,
    confusion: e.confusion,
    misclassified: e.errors.map(({ text, intent, predicted, confidence, rank, style }) => ({
      text,
      intent,
      ...(style ? { style } : {}),
      predicted,
      confidence,
      rank,
    })),
  };
}

function outcomeLine(o: ThresholdOutcome): string {
  return `${pct(o.routed)} routed (${pct(o.routedPrecision)} right) · ${pct(o.asked)} asked (right intent in top 3: ${pct(o.askedTop3)}) · ${pct(o.fallback)} below ask (top reading right anyway: ${pct(o.fallbackTop1)})`;
}

/** The baselines table, as pasted into the README. */
export function baselineTable(results: readonly BaselineResult[], independentSize: number): string[] {
  return [
    `| classifier (independent split, ${independentSize} messages; same training data, one run) | accuracy | none recall | in-scope → none | old split accuracy | dev accuracy | training | p99 classify |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => {
      if (r.status !== 'ok' || !r.evaluation) {
        return `| ${r.label} | — | — | — | — | — | ${r.status === 'timeout' ? `> ${(r.elapsedMs / 1000).toFixed(0)} s (stopped)` : 'failed'} | — |`;
      }
      const e = r.evaluation;
      const other = (split: 'old' | 'dev'): string => (r.evaluations ? pct(r.evaluations[split].accuracy) : '—');
      return `| ${r.label} | ${pct(e.accuracy)} | ${pct(e.noneRecall)} | ${pct(e.inScopeToNone)} | ${other('old')} | ${other('dev')} | ${ms(r.trainMs)} ms | ${ms(r.latency?.p99)} ms |`;
    }),
  ];
}

function reliabilityTable(rows: ReadonlyArray<[string, Reliability]>): string[] {
  const [, first] = rows[0] as [string, Reliability];
  return [
    `| confidence | ${rows.map(([n]) => `${n}: n / mean confidence / accuracy`).join(' | ')} |`,
    `|---|${rows.map(() => '---:').join('|')}|`,
    ...first.bins.map((b, i) => {
      const cells = rows.map(([, r]) => {
        const bin = r.bins[i];
        return !bin || bin.count === 0 ? '—' : `${bin.count} / ${bin.confidence.toFixed(2)} / ${bin.accuracy.toFixed(2)}`;
      });
      return `| ${b.lower.toFixed(1)}–${b.upper.toFixed(1)} | ${cells.join(' | ')} |`;
    }),
    `| **ECE** | ${rows.map(([, r]) => `**${r.ece.toFixed(3)}**`).join(' | ')} |`,
  ];
}

/** What switching one part off does to cross-validation and the dev set. */
interface Ablation {
  name: string;
  options: Partial<NluOptions>;
}

const f = DEFAULT_NLU_OPTIONS.features;
const ABLATIONS: Ablation[] = [
  { name: 'this NLU (all parts)', options: {} },
  { name: 'with the mean word vector as well (vectorWeight 1; off by default)', options: { features: { ...f, vectorWeight: 1 } } },
  { name: 'without nearest-word stand-ins (neighbours off)', options: { neighbours: { ...DEFAULT_NLU_OPTIONS.neighbours, minSimilarity: 0 } } },
  { name: 'without the message shape (shapeWeight 0)', options: { features: { ...f, shapeWeight: 0 } } },
  { name: 'bigrams at 0.6 (as before)', options: { features: { ...f, bigramWeight: 0.6 } } },
  { name: 'without the non-word share and keyboard mashes', options: { features: { ...f, nonwordWeight: 0 }, mashes: 0 } },
  { name: 'without the lexicon at all (words, vectors, non-words)', options: { lexicon: false, mashes: 0 } },
  { name: 'without calibration (temperature 1)', options: { temperature: 1 } },
];

interface AblationResult {
  name: string;
  cv: Evaluation;
  dev: Evaluation;
  devMixedTop1: number;
  trainMs: number;
  cvEce: number;
}

function runAblations(training: readonly LabelledExample[], folds: number, dev: ReturnType<typeof loadDev>): AblationResult[] {
  const groups = regroup(training);
  return ABLATIONS.map((a) => {
    const cvPredictions = crossValidate(training, folds, a.options);
    const started = process.hrtime.bigint();
    const nlu = createNlu(groups, a.options);
    const trainMs = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      name: a.name,
      cv: summarize(cvPredictions),
      dev: evaluate(nlu, dev.first),
      devMixedTop1: mixedFigures(evaluate(nlu, dev.mixed)).top1,
      trainMs,
      cvEce: reliability(cvPredictions).ece,
    };
  });
}

async function main(): Promise<void> {
  const folds = Number(argValue('--folds') ?? 5);
  const budgetS = Number(argValue('--budget') ?? process.env.NLU_BASELINE_BUDGET_S ?? 120);
  const reps = Number(argValue('--reps') ?? 20);
  const outDir = argValue('--out') ?? REPORTS_DIR;
  const withBaselines = !process.argv.includes('--no-baselines');
  const withAblation = !process.argv.includes('--no-ablation');
  const hideFrozen = process.argv.includes('--hide-frozen');

  const groups = loadTraining();
  const training = flatten(groups);
  const independentSet = loadLabelled(INDEPENDENT_PATH);
  const mixedSet = loadLabelled(MIXED_PATH);
  const oldSet = loadHeldout();
  const devSet = loadDev();
  const hash = contentHash(INTENTS_DIR);
  const rel = (p: string): string => relative(REPO_ROOT, p);

  const cvStarted = Date.now();
  const cvPredictions = crossValidate(training, folds);
  const cv = summarize(cvPredictions);
  const cvMs = Date.now() - cvStarted;
  const nlu = createNlu(groups);
  const independent = evaluate(nlu, independentSet);
  const mixed = evaluate(nlu, mixedSet);
  const old = evaluate(nlu, oldSet);
  const dev = evaluate(nlu, devSet.first);
  const devMixed = evaluate(nlu, devSet.mixed);

  // Calibration: the temperature that would fit the cross-validated predictions, on top of the one in use.
  const temperature = DEFAULT_NLU_OPTIONS.temperature;
  const refit = fitTemperature(scored(cvPredictions));
  const uncalibrated = temperature === 1 ? undefined : summarize(crossValidate(training, folds, { temperature: 1 }));
  const rel10 = {
    cv: reliability(cv.predictions),
    cvUncalibrated: uncalibrated ? reliability(uncalibrated.predictions) : undefined,
    dev: reliability([...dev.predictions, ...devMixed.predictions]),
    independent: reliability(independent.predictions),
  };

  const { route, ask } = DEFAULT_THRESHOLDS;
  const curves = {
    cv: thresholdCurve(cv.predictions),
    dev: thresholdCurve(dev.predictions),
    independent: thresholdCurve(independent.predictions),
  };
  const outcomes = {
    cv: thresholdOutcome(cv.predictions, route, ask),
    dev: thresholdOutcome(dev.predictions, route, ask),
    independent: thresholdOutcome(independent.predictions, route, ask),
    old: thresholdOutcome(old.predictions, route, ask),
  };

  const ablations = withAblation ? runAblations(training, folds, devSet) : [];

  const baselines: BaselineResult[] = [];
  if (withBaselines) {
    for (const name of BASELINES) {
      // natural's logistic regression gets the full budget; the others finish in seconds.
      baselines.push(await runBaseline(name, name === 'natural-logreg' ? budgetS * 1000 : Math.max(60, budgetS) * 1000, reps));
    }
  }

  const mixedIndependent = mixedFigures(mixed);
  const mixedDev = mixedFigures(devMixed);
  const summaryRow = (name: string, e: Evaluation, r: Reliability | undefined): string =>
    `| ${name} | ${e.total} | **${pct(e.accuracy)}** | ${pct(e.noneRecall)} | ${pct(e.inScopeToNone)} | ${macroF1(e).toFixed(3)} | ${r ? r.ece.toFixed(3) : '—'} |`;
  const styles = (e: Evaluation): string[] => [
    '| style | messages | accuracy |',
    '|---|---:|---:|',
    ...styleBreakdown(e.predictions).map((s) => `| ${s.style} | ${s.total} | ${pct(s.accuracy)} |`),
  ];

  const md = [
    '# NLU evaluation',
    '',
    `Generated by \`npm run nlu:eval\` (scripts/nlu-eval.ts). Training content: ${training.length} examples in ${rel(INTENTS_DIR)}/ (content hash \`${hash}\`). Evaluation sets, never trained on: ${rel(INDEPENDENT_PATH)} (${independentSet.length}, frozen, written without seeing intents/), ${rel(MIXED_PATH)} (${mixedSet.length}, frozen), ${rel(HELDOUT_PATH)} (${oldSet.length}, the old split, written by the authors of intents/), ${rel(DEV_PATH)} (${devSet.first.length} first messages + ${devSet.mixed.length} mixed: the tuning set, so its figures are optimistic).`,
    '',
    '## Summary',
    '',
    '| split | messages | accuracy | none recall | in-scope → none | macro F1 | ECE |',
    '|---|---:|---:|---:|---:|---:|---:|',
    summaryRow('**independent split** (frozen; trained on all of intents/)', independent, rel10.independent),
    summaryRow('old held-out split', old, undefined),
    summaryRow('dev set, first messages (tuned on)', dev, undefined),
    summaryRow(`${folds}-fold cross-validation over intents/`, cv, rel10.cv),
    '',
    'Targets (issue 10): independent split top-1 ≥ 95 %, none recall ≥ 95 %, in-scope → none ≤ 3 %; cross-validation ≥ 93 %.',
    '',
    '## Mixed messages',
    '',
    'A generic complaint plus a specific cause, labelled with the specific intent: how often the specific intent is the top reading, and how often it is among the top two (where a routing rule that prefers the specific fix can pick it).',
    '',
    '| set | messages | specific intent top 1 | specific intent in top 2 |',
    '|---|---:|---:|---:|',
    `| frozen mixed split | ${mixedIndependent.total} | ${pct(mixedIndependent.top1)} | ${pct(mixedIndependent.top2)} |`,
    `| dev set, mixed (tuned on) | ${mixedDev.total} | ${pct(mixedDev.top1)} | ${pct(mixedDev.top2)} |`,
    '',
    '## Independent split by writing style',
    '',
    ...styles(independent),
    '',
    '## Baselines',
    '',
    withBaselines
      ? `Same training data (intents/), same splits, same run; each trained once in a fresh child process (training time measured there) with a ${budgetS} s budget for natural's logistic regression, then classifying the independent split, the old split and the dev set. p99 classify: over every independent-split message × ${reps}, in the worker after training (a shared machine: \`npm run bench:nlu\` is the reference latency for this NLU). Confidence of a baseline = its top score normalised over its ranking.`
      : 'Not run (--no-baselines).',
    '',
    ...(withBaselines ? baselineTable(baselines, independentSet.length) : []),
    ...baselines.filter((r) => r.status !== 'ok').flatMap((r) => ['', `- ${r.label}: ${r.detail}`]),
    '',
    '## What each part buys',
    '',
    withAblation
      ? `Each row switches one part off and measures again (${folds}-fold cross-validation over intents/, the dev set; never the frozen splits). Training: one model on all of intents/, this process.`
      : 'Not run (--no-ablation).',
    '',
    ...(withAblation
      ? [
          '| model | CV accuracy | CV none recall | CV in-scope → none | CV ECE | dev accuracy | dev none recall | dev mixed top 1 | training |',
          '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
          ...ablations.map(
            (a) =>
              `| ${a.name} | ${pct(a.cv.accuracy)} | ${pct(a.cv.noneRecall)} | ${pct(a.cv.inScopeToNone)} | ${a.cvEce.toFixed(3)} | ${pct(a.dev.accuracy)} | ${pct(a.dev.noneRecall)} | ${pct(a.devMixedTop1)} | ${a.trainMs.toFixed(0)} ms |`,
          ),
        ]
      : []),
    '',
    '## Calibration',
    '',
    `Confidences are temperature-scaled (src/nlu/calibration.ts) with T = ${temperature} (src/nlu/options.ts), fitted by minimising the negative log-likelihood of the ${folds}-fold cross-validated predictions. Refitting on this run's cross-validated predictions would multiply T by ${refit.toFixed(3)}${Math.abs(Math.log(refit)) > Math.log(1.15) ? ' — more than 15 % off: refit and update the default' : ' (within 15 %: no change needed)'}. Reliability: for each confidence bin, how many top readings fall in it, their mean confidence and the share that is right; ECE = the weighted mean gap.`,
    '',
    ...reliabilityTable([
      ['CV', rel10.cv],
      ...(rel10.cvUncalibrated ? ([['CV, T = 1', rel10.cvUncalibrated]] as Array<[string, Reliability]>) : []),
      ['dev (all)', rel10.dev],
      ['independent', rel10.independent],
    ]),
    '',
    '## Confidence thresholds',
    '',
    `The router routes straight to the top intent when its confidence ≥ route (${route}), offers the top readings as choices between ask (${ask}) and route, and asks to rephrase below ask (src/nlu/thresholds.ts).`,
    '',
    `- cross-validation: ${outcomeLine(outcomes.cv)}`,
    `- dev set: ${outcomeLine(outcomes.dev)}`,
    `- independent split: ${outcomeLine(outcomes.independent)}`,
    `- old split: ${outcomeLine(outcomes.old)}`,
    '',
    'Curve of "route when top confidence ≥ t": share of messages routed (coverage) and share of those routed right (precision).',
    '',
    '| t | CV coverage | CV precision | dev coverage | dev precision | independent coverage | independent precision |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...curves.cv.map((p, i) => {
      const d = curves.dev[i];
      const h = curves.independent[i];
      const mark = Math.abs(p.threshold - route) < 1e-9 ? ' ← route' : Math.abs(p.threshold - ask) < 1e-9 ? ' ← ask' : '';
      return `| ${p.threshold.toFixed(2)}${mark} | ${pct(p.coverage)} | ${pct(p.precision)} | ${d ? pct(d.coverage) : '—'} | ${d ? pct(d.precision) : '—'} | ${h ? pct(h.coverage) : '—'} | ${h ? pct(h.precision) : '—'} |`;
    }),
    '',
    '## Independent split (frozen: for the team to read, not to tune on)',
    '',
    ...formatSections(independent, 3),
    '',
    '## Mixed split (frozen: for the team to read, not to tune on)',
    '',
    ...formatSections(mixed, 3),
    '',
    '## Old held-out split',
    '',
    ...formatSections(old, 3),
    '',
    '## Dev set (tuning set)',
    '',
    ...styles(dev),
    '',
    ...formatSections(summarize([...dev.predictions, ...devMixed.predictions]), 3),
    '',
    `## ${folds}-fold cross-validation over intents/`,
    '',
    ...formatSections(cv, 3),
    '',
  ].join('\n');

  const json = {
    generatedBy: 'scripts/nlu-eval.ts',
    training: { examples: training.length, contentHash: hash },
    thresholds: { route, ask },
    calibration: { temperature, refitFactor: refit, reliability: rel10 },
    independent: { ...jsonEvaluation(independent), byStyle: styleBreakdown(independent.predictions), thresholdCurve: curves.independent, thresholdOutcome: outcomes.independent },
    mixed: { ...jsonEvaluation(mixed), ...mixedIndependent },
    heldout: { ...jsonEvaluation(old), thresholdOutcome: outcomes.old },
    dev: { ...jsonEvaluation(dev), byStyle: styleBreakdown(dev.predictions), mixed: mixedDev, thresholdCurve: curves.dev, thresholdOutcome: outcomes.dev },
    crossValidation: { folds, ms: cvMs, ...jsonEvaluation(cv), thresholdCurve: curves.cv, thresholdOutcome: outcomes.cv },
    ablations: ablations.map((a) => ({ name: a.name, cv: headline(a.cv), cvEce: a.cvEce, dev: headline(a.dev), devMixedTop1: a.devMixedTop1, trainMs: a.trainMs })),
    baselines: baselines.map((r) => ({
      name: r.name,
      label: r.label,
      status: r.status,
      detail: r.detail,
      elapsedMs: r.elapsedMs,
      trainMs: r.trainMs,
      latencyMs: r.latency,
      ...(r.evaluations
        ? { independent: headline(r.evaluations.independent), old: headline(r.evaluations.old), dev: headline(r.evaluations.dev) }
        : {}),
    })),
  };

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'nlu-eval.md'), md);
  writeFileSync(join(outDir, 'nlu-eval.json'), `${JSON.stringify(json, null, 2)}\n`);

  const line = (name: string, e: Evaluation): string =>
    `${name}: ${e.total} messages · accuracy ${pct(e.accuracy)} · none recall ${pct(e.noneRecall)} · in-scope → none ${pct(e.inScopeToNone)} · macro F1 ${macroF1(e).toFixed(3)}`;
  if (!hideFrozen) {
    console.log(line('independent split', independent));
    console.log(`frozen mixed: specific intent top 1 ${pct(mixedIndependent.top1)} · in top 2 ${pct(mixedIndependent.top2)}`);
  }
  console.log(line('old split', old));
  console.log(line('dev set', dev));
  console.log(`dev mixed: specific intent top 1 ${pct(mixedDev.top1)} · in top 2 ${pct(mixedDev.top2)}`);
  console.log(line(`${folds}-fold CV`, cv));
  console.log(`calibration: T ${temperature}, refit factor ${refit.toFixed(3)}, CV ECE ${rel10.cv.ece.toFixed(3)}, dev ECE ${rel10.dev.ece.toFixed(3)}`);
  console.log(`thresholds route ${route} / ask ${ask}: CV ${outcomeLine(outcomes.cv)}`);
  for (const a of ablations) console.log(`  ${a.name}: CV ${pct(a.cv.accuracy)} · dev ${pct(a.dev.accuracy)} · dev none recall ${pct(a.dev.noneRecall)} · train ${a.trainMs.toFixed(0)} ms`);
  if (withBaselines && !hideFrozen) console.log(baselineTable(baselines, independentSet.length).join('\n'));
  console.log(`wrote ${rel(join(outDir, 'nlu-eval.md'))} and nlu-eval.json`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
