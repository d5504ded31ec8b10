/**
 * `npm run nlu:eval`: how well the NLU understands, in a report a person reads.
 *
 * - 5-fold stratified cross-validation over intents/ (train on 4/5, classify
 *   the other 1/5, five times; every training example is classified once by a
 *   model that did not see it).
 * - The held-out split (test/nlu/heldout.yaml), classified by a model trained
 *   on all of intents/.
 * - The route / ask threshold curve and what the chosen thresholds do.
 * - Baselines on the held-out split, same training data, same run.
 *
 * Writes reports/nlu-eval.md and reports/nlu-eval.json; prints only the summary.
 * Options: --folds N (5), --no-baselines, --budget SECONDS (natural's logistic
 * regression, 120), --reps N (classification repetitions for the baselines'
 * latency, 20), --out DIR (reports/).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createNlu } from '../src/nlu/classifier';
import type { NluOptions } from '../src/nlu/classifier';
import { evaluate, formatSections, macroF1, summarize, thresholdCurve, thresholdOutcome } from '../src/nlu/evaluate';
import type { Evaluation, LabelledExample, Prediction, ThresholdOutcome } from '../src/nlu/evaluate';
import { DEFAULT_THRESHOLDS } from '../src/nlu/thresholds';
import { BASELINES, runBaseline } from './baselines';
import { argValue } from './cli-args';
import type { BaselineResult } from './baselines';
import { flatten, HELDOUT_PATH, INTENTS_DIR, loadHeldout, loadTraining, regroup, REPO_ROOT, REPORTS_DIR, stratifiedFolds } from './data';

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

function jsonEvaluation(e: Evaluation): unknown {
  return {
    ...headline(e),
    perIntent: e.perIntent,
    confusion: e.confusion,
    misclassified: e.errors.map(({ text, intent, predicted, confidence, rank }) => ({ text, intent, predicted, confidence, rank })),
  };
}

function outcomeLines(o: ThresholdOutcome): string {
  return `${pct(o.routed)} routed (${pct(o.routedPrecision)} right) · ${pct(o.asked)} asked (right intent in top 3: ${pct(o.askedTop3)}) · ${pct(o.fallback)} below ask (top reading right anyway: ${pct(o.fallbackTop1)})`;
}

/** The baselines table, as pasted into the README. */
export function baselineTable(results: readonly BaselineResult[], heldoutSize: number): string[] {
  return [
    `| classifier (held-out split, ${heldoutSize} messages) | accuracy | none recall | in-scope → none | training | p99 classify |`,
    '|---|---:|---:|---:|---:|---:|',
    ...results.map((r) => {
      if (r.status !== 'ok' || !r.evaluation) {
        return `| ${r.label} | — | — | — | ${r.status === 'timeout' ? `> ${(r.elapsedMs / 1000).toFixed(0)} s (stopped)` : 'failed'} | — |`;
      }
      const e = r.evaluation;
      return `| ${r.label} | ${pct(e.accuracy)} | ${pct(e.noneRecall)} | ${pct(e.inScopeToNone)} | ${ms(r.trainMs)} ms | ${ms(r.latency?.p99)} ms |`;
    }),
  ];
}

async function main(): Promise<void> {
  const folds = Number(argValue('--folds') ?? 5);
  const budgetS = Number(argValue('--budget') ?? process.env.NLU_BASELINE_BUDGET_S ?? 120);
  const reps = Number(argValue('--reps') ?? 20);
  const outDir = argValue('--out') ?? REPORTS_DIR;
  const withBaselines = !process.argv.includes('--no-baselines');

  const groups = loadTraining();
  const training = flatten(groups);
  const heldout = loadHeldout();
  const hash = contentHash(INTENTS_DIR);

  const cvStarted = Date.now();
  const cv = summarize(crossValidate(training, folds));
  const cvMs = Date.now() - cvStarted;
  const held = evaluate(createNlu(groups), heldout);

  const { route, ask } = DEFAULT_THRESHOLDS;
  const cvCurve = thresholdCurve(cv.predictions);
  const heldCurve = thresholdCurve(held.predictions);
  const cvOutcome = thresholdOutcome(cv.predictions, route, ask);
  const heldOutcome = thresholdOutcome(held.predictions, route, ask);

  const baselines: BaselineResult[] = [];
  if (withBaselines) {
    for (const name of BASELINES) {
      // natural's logistic regression gets the full budget; the others finish in seconds.
      baselines.push(await runBaseline(name, name === 'natural-logreg' ? budgetS * 1000 : Math.max(60, budgetS) * 1000, reps));
    }
  }

  const md = [
    '# NLU evaluation',
    '',
    `Generated by \`npm run nlu:eval\` (scripts/nlu-eval.ts). Training content: ${training.length} examples in ${relative(REPO_ROOT, INTENTS_DIR)}/ (content hash \`${hash}\`); held-out split: ${heldout.length} messages in ${relative(REPO_ROOT, HELDOUT_PATH)}, never trained on.`,
    '',
    '## Summary',
    '',
    '| split | messages | accuracy | none recall | in-scope → none | macro F1 |',
    '|---|---:|---:|---:|---:|---:|',
    `| ${folds}-fold cross-validation over intents/ | ${cv.total} | ${pct(cv.accuracy)} | ${pct(cv.noneRecall)} | ${pct(cv.inScopeToNone)} | ${macroF1(cv).toFixed(3)} |`,
    `| held-out split (trained on all of intents/) | ${held.total} | ${pct(held.accuracy)} | ${pct(held.noneRecall)} | ${pct(held.inScopeToNone)} | ${macroF1(held).toFixed(3)} |`,
    '',
    'Targets (issue 3): accuracy ≥ 92 %, none recall ≥ 90 %, in-scope → none ≤ 5 %.',
    '',
    '## Baselines',
    '',
    withBaselines
      ? `Same training data (intents/), same held-out split, same run; each trained in a fresh child process (training time measured there) with a ${budgetS} s budget for natural's logistic regression. p99 classify: over every held-out message × ${reps}, in the worker after training (a shared machine: \`npm run bench:nlu\` is the reference latency for this NLU). Confidence of a baseline = its top score normalised over its ranking.`
      : 'Not run (--no-baselines).',
    '',
    ...(withBaselines ? baselineTable(baselines, heldout.length) : []),
    ...baselines.filter((r) => r.status !== 'ok').flatMap((r) => ['', `- ${r.label}: ${r.detail}`]),
    '',
    '## Confidence thresholds',
    '',
    `The router routes straight to the top intent when its confidence ≥ route (${route}), offers the top readings as choices between ask (${ask}) and route, and asks to rephrase below ask (src/nlu/thresholds.ts).`,
    '',
    `- cross-validation: ${outcomeLines(cvOutcome)}`,
    `- held-out: ${outcomeLines(heldOutcome)}`,
    '',
    'Curve of "route when top confidence ≥ t": share of messages routed (coverage) and share of those routed right (precision).',
    '',
    '| t | CV coverage | CV precision | held-out coverage | held-out precision |',
    '|---:|---:|---:|---:|---:|',
    ...cvCurve.map((p, i) => {
      const h = heldCurve[i];
      const mark = Math.abs(p.threshold - route) < 1e-9 ? ' ← route' : Math.abs(p.threshold - ask) < 1e-9 ? ' ← ask' : '';
      return `| ${p.threshold.toFixed(2)}${mark} | ${pct(p.coverage)} | ${pct(p.precision)} | ${h ? pct(h.coverage) : '—'} | ${h ? pct(h.precision) : '—'} |`;
    }),
    '',
    `## Held-out split`,
    '',
    ...formatSections(held, 3),
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
    crossValidation: { folds, ms: cvMs, ...(jsonEvaluation(cv) as object), thresholdCurve: cvCurve, thresholdOutcome: cvOutcome },
    heldout: { ...(jsonEvaluation(held) as object), thresholdCurve: heldCurve, thresholdOutcome: heldOutcome },
    baselines: baselines.map((r) => ({
      name: r.name,
      label: r.label,
      status: r.status,
      detail: r.detail,
      elapsedMs: r.elapsedMs,
      trainMs: r.trainMs,
      latencyMs: r.latency,
      ...(r.evaluation ? headline(r.evaluation) : {}),
    })),
  };

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'nlu-eval.md'), md);
  writeFileSync(join(outDir, 'nlu-eval.json'), `${JSON.stringify(json, null, 2)}\n`);

  const line = (name: string, e: Evaluation): string =>
    `${name}: ${e.total} messages · accuracy ${pct(e.accuracy)} · none recall ${pct(e.noneRecall)} · in-scope → none ${pct(e.inScopeToNone)} · macro F1 ${macroF1(e).toFixed(3)}`;
  console.log(line(`${folds}-fold CV`, cv));
  console.log(line('held-out', held));
  console.log(`thresholds route ${route} / ask ${ask}: CV ${outcomeLines(cvOutcome)}`);
  if (withBaselines) console.log(baselineTable(baselines, heldout.length).join('\n'));
  console.log(`wrote ${relative(REPO_ROOT, join(outDir, 'nlu-eval.md'))} and nlu-eval.json`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
