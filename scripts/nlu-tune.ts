/**
 * `npm run nlu:tune`: the figures settings and training data are tuned on —
 * cross-validation over intents/ and the development set (test/nlu/dev.yaml),
 * with the development set's misclassified messages. It never reads the
 * frozen splits: those are measured only by `npm run nlu:eval`, rarely.
 *
 * Options: --folds N (5), --seeds N (1: cross-validation repeated over N fold
 * splits and training orders, and their mean), --options JSON (deep-merged over the defaults, e.g.
 * '{"features":{"charWeight":0.4}}'), --errors (print the dev errors), --cv-errors,
 * --no-cv.
 */
import { createNlu, DEFAULT_NLU_OPTIONS } from '../src/nlu/classifier';
import type { NluOptions } from '../src/nlu/classifier';
import { evaluate, macroF1, mixedFigures, styleBreakdown, summarize } from '../src/nlu/evaluate';
import type { Evaluation } from '../src/nlu/evaluate';
import { flatten, loadDev, loadTraining } from './data';
import { argValue } from './cli-args';
import { crossValidate } from './nlu-eval';

/** Plain-object deep merge for option overrides (keys come from the command line, not from users). */
function merge<T>(base: T, over: unknown): T {
  if (over === null || typeof over !== 'object' || Array.isArray(over)) return over as T;
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out as T;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const line = (name: string, e: Evaluation): string =>
  `${name.padEnd(10)} n=${e.total} acc ${pct(e.accuracy)} · none recall ${pct(e.noneRecall)} · in-scope→none ${pct(e.inScopeToNone)} · macro F1 ${macroF1(e).toFixed(3)}`;

function main(): void {
  const options: NluOptions = merge(DEFAULT_NLU_OPTIONS, JSON.parse(argValue('--options') ?? '{}'));
  const folds = Number(argValue('--folds') ?? 5);
  const groups = loadTraining();
  const dev = loadDev();
  const started = Date.now();
  const nlu = createNlu(groups, options);
  const trainMs = Date.now() - started;
  const first = evaluate(nlu, dev.first);
  const mixed = evaluate(nlu, dev.mixed);
  console.log(`trained in ${trainMs} ms on ${flatten(groups).length} examples`);
  if (!process.argv.includes('--no-cv')) {
    // Seed s shuffles the folds (7 + s) and the training order (softmax seed + s): one split is one draw.
    const seeds = Number(argValue('--seeds') ?? 1);
    const runs = Array.from({ length: seeds }, (_, s) =>
      summarize(crossValidate(flatten(groups), folds, { ...options, softmax: { ...options.softmax, seed: options.softmax.seed + s } }, 7 + s)),
    );
    runs.forEach((cv, s) => console.log(line(seeds > 1 ? `CV seed ${s}` : 'CV', cv)));
    if (seeds > 1) {
      const mean = (f: (e: Evaluation) => number) => pct(runs.reduce((sum, e) => sum + f(e), 0) / seeds);
      console.log(`CV mean of ${seeds}: acc ${mean((e) => e.accuracy)} · none recall ${mean((e) => e.noneRecall)} · in-scope→none ${mean((e) => e.inScopeToNone)}`);
    }
    if (process.argv.includes('--cv-errors')) {
      for (const p of runs[0]!.errors) console.log(`  cv ${p.intent} → ${p.predicted} ${p.confidence.toFixed(2)} (rank ${p.rank}) ${p.text}`);
    }
  }
  console.log(line('dev', first));
  const m = mixedFigures(mixed);
  console.log(`dev mixed  n=${m.total} top-1 ${pct(m.top1)} · in top 2 ${pct(m.top2)}`);
  console.log(styleBreakdown(first.predictions).map((s) => `  ${s.style} ${s.total}: ${pct(s.accuracy)}`).join('\n'));
  if (process.argv.includes('--errors')) {
    for (const p of [...first.errors, ...mixed.errors].sort((a, b) => a.intent.localeCompare(b.intent))) {
      console.log(`  ${p.intent} → ${p.predicted} ${p.confidence.toFixed(2)} (rank ${p.rank}) [${p.style ?? ''}] ${p.text}`);
    }
  }
}

main();
