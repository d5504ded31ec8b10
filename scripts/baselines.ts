/**
 * Off-the-shelf classifiers measured against ours on the same data, in the
 * same run: natural's BayesClassifier and LogisticRegressionClassifier (default
 * tokenisation: Porter tokenizeAndStem, stop words dropped) and nlp.js (its
 * neural NLU with the English min package, autoSave off, nothing written).
 *
 * Each one trains and classifies in a child process of its own (this file run
 * with `--worker NAME`), so a fresh heap measures its training time and a time
 * budget can stop one that does not finish: natural's logistic regression does
 * full-batch gradient descent over dense sylvester matrices, one class at a
 * time, and has no iteration cap of its own.
 */
import { fork } from 'node:child_process';
import { createNlu } from '../src/nlu/classifier';
import { summarize } from '../src/nlu/evaluate';
import type { Evaluation, LabelledExample, Prediction } from '../src/nlu/evaluate';
import { INTENTS } from '../src/nlu/types';
import type { IntentName } from '../src/nlu/types';
import { flatten, loadDev, loadHeldout, loadLabelled, INDEPENDENT_PATH, loadTraining } from './data';

export const BASELINES = ['ours', 'natural-bayes', 'natural-logreg', 'nlpjs'] as const;
export type BaselineName = (typeof BASELINES)[number];

export const BASELINE_LABELS: Record<BaselineName, string> = {
  ours: 'this NLU (softmax over stems, bigrams, char n-grams, non-word share; spelling + word stand-ins; calibrated)',
  'natural-bayes': 'natural BayesClassifier (default tokenisation)',
  'natural-logreg': 'natural LogisticRegressionClassifier (default tokenisation)',
  nlpjs: 'nlp.js (@nlpjs/nlp + @nlpjs/lang-en-min, defaults)',
};

interface Ranked {
  ranking: Array<{ intent: string; score: number }>;
}

interface Model {
  classify(text: string): Ranked | Promise<Ranked>;
}

/** Trains one classifier on the examples (in this process). */
async function train(name: BaselineName, examples: readonly LabelledExample[]): Promise<Model> {
  switch (name) {
    case 'ours': {
      const groups = INTENTS.map((intent) => ({
        intent,
        examples: examples.filter((e) => e.intent === intent).map((e) => e.text),
        file: '',
        lines: [],
      })).filter((g) => g.examples.length > 0);
      const nlu = createNlu(groups);
      return {
        classify: (text) => ({
          ranking: nlu.parse(text).intent_ranking.map((s) => ({ intent: s.name, score: s.confidence })),
        }),
      };
    }
    case 'natural-bayes':
    case 'natural-logreg': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const natural = require('natural/lib/natural/classifiers') as typeof import('natural/lib/natural/classifiers');
      const c = name === 'natural-bayes' ? new natural.BayesClassifier() : new natural.LogisticRegressionClassifier();
      for (const e of examples) c.addDocument(e.text, e.intent);
      c.train();
      return {
        classify: (text) => ({ ranking: c.getClassifications(text).map((r) => ({ intent: r.label, score: r.value })) }),
      };
    }
    case 'nlpjs': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Nlp } = require('@nlpjs/nlp') as typeof import('@nlpjs/nlp');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { LangEn } = require('@nlpjs/lang-en-min') as typeof import('@nlpjs/lang-en-min');
      const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, modelFileName: '', forceNER: false });
      nlp.use(LangEn);
      for (const e of examples) nlp.addDocument('en', e.text, e.intent);
      await nlp.train();
      return {
        classify: async (text) => {
          const r = await nlp.process('en', text);
          const ranking = (r.classifications ?? []).map((c) => ({ intent: c.intent, score: c.score }));
          // nlp.js answers "None" when no intent clears its own threshold: that is our `none`.
          const top = r.intent === 'None' ? 'none' : r.intent;
          const rest = ranking.filter((c) => c.intent !== top);
          return { ranking: [{ intent: top, score: r.score }, ...rest] };
        },
      };
    }
  }
}

/** The splits every baseline is measured on, in one training. */
export const BASELINE_SPLITS = ['independent', 'old', 'dev'] as const;
export type BaselineSplit = (typeof BASELINE_SPLITS)[number];

function loadSplit(split: BaselineSplit): LabelledExample[] {
  if (split === 'independent') return loadLabelled(INDEPENDENT_PATH);
  if (split === 'old') return loadHeldout();
  return loadDev().first;
}

/** What a worker sends back. */
export interface WorkerReport {
  name: BaselineName;
  trainMs: number;
  predictions: Record<BaselineSplit, Prediction[]>;
  /** Per classification, ms, over all independent-split messages × repetitions. */
  latenciesMs: number[];
}

async function classifyAll(model: Model, examples: readonly LabelledExample[]): Promise<Prediction[]> {
  const predictions: Prediction[] = [];
  for (const e of examples) {
    const { ranking } = await model.classify(e.text);
    const top = ranking[0];
    const known = (x: string | undefined): IntentName =>
      x !== undefined && (INTENTS as readonly string[]).includes(x) ? (x as IntentName) : 'none';
    const total = ranking.reduce((s, r) => s + Math.max(0, r.score), 0);
    predictions.push({
      ...e,
      predicted: known(top?.intent),
      // Scores normalised over the ranking (natural's Bayes gives unnormalised products).
      confidence: top === undefined || total <= 0 ? 0 : Math.max(0, top.score) / total,
      rank: ranking.findIndex((r) => known(r.intent) === e.intent) + 1,
    });
  }
  return predictions;
}

async function runWorker(name: BaselineName, repetitions: number): Promise<WorkerReport> {
  const training = flatten(loadTraining());
  const splits = BASELINE_SPLITS.map((split) => [split, loadSplit(split)] as const);
  const started = process.hrtime.bigint();
  const model = await train(name, training);
  const trainMs = Number(process.hrtime.bigint() - started) / 1e6;
  const predictions = {} as Record<BaselineSplit, Prediction[]>;
  for (const [split, examples] of splits) predictions[split] = await classifyAll(model, examples);
  const independent = splits[0][1];
  const latenciesMs: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    for (const e of independent) {
      const t = process.hrtime.bigint();
      await model.classify(e.text);
      latenciesMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return { name, trainMs, predictions, latenciesMs };
}

export interface BaselineResult {
  name: BaselineName;
  label: string;
  status: 'ok' | 'timeout' | 'error';
  /** Why it has no figures (timeout, crash). */
  detail?: string;
  /** Wall time of the attempt, ms (the budget when it timed out). */
  elapsedMs: number;
  trainMs?: number;
  /** Per split; `evaluation` is the independent split's. */
  evaluations?: Record<BaselineSplit, Evaluation>;
  evaluation?: Evaluation;
  latency?: LatencyStats;
}

export interface LatencyStats {
  samples: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return {
    samples: sorted.length,
    mean: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** Runs one baseline in a child process, killed after `budgetMs`. */
export function runBaseline(name: BaselineName, budgetMs: number, repetitions = 5): Promise<BaselineResult> {
  const label = BASELINE_LABELS[name];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = fork(__filename, ['--worker', name, String(repetitions)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    let settled = false;
    const finish = (r: Omit<BaselineResult, 'name' | 'label' | 'elapsedMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ name, label, elapsedMs: Date.now() - started, ...r });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ status: 'timeout', detail: `did not finish training within the ${(budgetMs / 1000).toFixed(0)} s budget` });
    }, budgetMs);
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('message', (m: WorkerReport) => {
      finish({
        status: 'ok',
        trainMs: m.trainMs,
        evaluations: {
          independent: summarize(m.predictions.independent),
          old: summarize(m.predictions.old),
          dev: summarize(m.predictions.dev),
        },
        evaluation: summarize(m.predictions.independent),
        latency: latencyStats(m.latenciesMs),
      });
      child.kill();
    });
    child.on('exit', (code) => finish({ status: 'error', detail: `worker exited with ${code}: ${stderr.trim()}` }));
  });
}

if (require.main === module && process.argv[2] === '--worker') {
  const name = process.argv[3] as BaselineName;
  const repetitions = Number(process.argv[4] ?? 5);
  if (!(BASELINES as readonly string[]).includes(name)) throw new Error(`unknown baseline ${name}`);
  runWorker(name, repetitions).then(
    (report) => process.send?.(report),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
