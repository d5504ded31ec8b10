import { INTENTS } from './types';
import type { IntentName, Nlu } from './types';

export interface LabelledExample {
  text: string;
  intent: IntentName;
  /** How it is written (one-word, typo, slang, long, …), when the set says. */
  style?: string;
}

export interface Prediction extends LabelledExample {
  predicted: IntentName;
  confidence: number;
  /** Where the right intent stands in the ranking (1 = top). */
  rank: number;
  /** Every intent's confidence, in INTENTS order (for calibration); absent for baselines. */
  probabilities?: number[];
}

export interface IntentMetrics {
  intent: IntentName;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  total: number;
  accuracy: number;
  /** Share of `none` messages classified as none. */
  noneRecall: number;
  /** Share of in-scope messages wrongly classified as none. */
  inScopeToNone: number;
  perIntent: IntentMetrics[];
  /** confusion[expected][predicted] = count. */
  confusion: Record<IntentName, Record<IntentName, number>>;
  predictions: Prediction[];
  errors: Prediction[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Runs every example through the parser and computes the figures a person reads. */
export function evaluate(nlu: Nlu, examples: readonly LabelledExample[]): Evaluation {
  return summarize(
    examples.map((e) => {
      const r = nlu.parse(e.text);
      const rank = r.intent_ranking.findIndex((s) => s.name === e.intent) + 1;
      const byName = new Map(r.intent_ranking.map((s) => [s.name, s.confidence]));
      const probabilities = INTENTS.map((name) => byName.get(name) ?? 0);
      return { ...e, predicted: r.intent.name, confidence: r.intent.confidence, rank, probabilities };
    }),
  );
}

/**
 * The figures of a set of predictions, however they were made (one parser on a
 * test set, k parsers on k folds, or a baseline classifier).
 */
export function summarize(predictions: readonly Prediction[]): Evaluation {
  const confusion = Object.fromEntries(
    INTENTS.map((a) => [a, Object.fromEntries(INTENTS.map((b) => [b, 0]))]),
  ) as Record<IntentName, Record<IntentName, number>>;
  for (const p of predictions) confusion[p.intent][p.predicted]++;

  const perIntent = INTENTS.map((intent): IntentMetrics => {
    const tp = confusion[intent][intent];
    const support = INTENTS.reduce((n, b) => n + confusion[intent][b], 0);
    const predicted = INTENTS.reduce((n, a) => n + confusion[a][intent], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { intent, support, precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
  });
  const none = predictions.filter((p) => p.intent === 'none');
  const inScope = predictions.filter((p) => p.intent !== 'none');
  const errors = predictions.filter((p) => p.predicted !== p.intent);
  return {
    total: predictions.length,
    accuracy: ratio(predictions.length - errors.length, predictions.length),
    noneRecall: ratio(none.filter((p) => p.predicted === 'none').length, none.length),
    inScopeToNone: ratio(inScope.filter((p) => p.predicted === 'none').length, inScope.length),
    perIntent,
    confusion,
    predictions: [...predictions],
    errors,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/**
 * The Markdown body of an evaluation: summary line, per-intent P/R/F1, every
 * misclassified message with its confidence, confusion matrix. `level` is the
 * heading level of its sections.
 */
export function formatSections(e: Evaluation, level = 2): string[] {
  const h = '#'.repeat(level);
  const errors = [...e.errors].sort((a, b) => a.intent.localeCompare(b.intent) || b.confidence - a.confidence);
  return [
    `${e.total} messages · accuracy ${pct(e.accuracy)} · none recall ${pct(e.noneRecall)} · in-scope sent to none ${pct(e.inScopeToNone)}`,
    '',
    `${h} Per intent`,
    '',
    '| intent | support | precision | recall | F1 |',
    '|---|---:|---:|---:|---:|',
    ...e.perIntent.map(
      (m) => `| ${m.intent} | ${m.support} | ${m.precision.toFixed(2)} | ${m.recall.toFixed(2)} | ${m.f1.toFixed(2)} |`,
    ),
    '',
    `${h} Misclassified (${e.errors.length})`,
    '',
    '| text | expected | predicted | confidence | rank of expected |',
    '|---|---|---|---:|---:|',
    ...errors.map((p) => `| ${cell(p.text)} | ${p.intent} | ${p.predicted} | ${p.confidence.toFixed(2)} | ${p.rank} |`),
    '',
    `${h} Confusion matrix (rows: expected, columns: predicted)`,
    '',
    `| | ${INTENTS.map((_, i) => i + 1).join(' | ')} |`,
    `|---|${INTENTS.map(() => '---:').join('|')}|`,
    ...INTENTS.map((a, i) => `| ${i + 1} ${a} | ${INTENTS.map((b) => e.confusion[a][b] || '·').join(' | ')} |`),
  ];
}

/** A Markdown report: summary, per-intent P/R/F1, misclassified messages, confusion matrix. */
export function formatReport(e: Evaluation, title = 'NLU evaluation'): string {
  return `${[`# ${title}`, '', ...formatSections(e, 2)].join('\n')}\n`;
}

/** Macro-averaged F1 over the intents that have examples. */
export function macroF1(e: Evaluation): number {
  const present = e.perIntent.filter((m) => m.support > 0);
  return ratio(
    present.reduce((s, m) => s + m.f1, 0),
    present.length,
  );
}

export interface ThresholdPoint {
  threshold: number;
  /** Share of messages whose top confidence reaches the threshold. */
  coverage: number;
  /** Accuracy among those. */
  precision: number;
}

/** Precision and coverage of "route when top confidence ≥ t", for t = 0.05, 0.10, … 0.95. */
export function thresholdCurve(predictions: readonly Prediction[]): ThresholdPoint[] {
  const points: ThresholdPoint[] = [];
  for (let i = 1; i < 20; i++) {
    const threshold = i / 20;
    const kept = predictions.filter((p) => p.confidence >= threshold);
    points.push({
      threshold,
      coverage: ratio(kept.length, predictions.length),
      precision: ratio(kept.filter((p) => p.predicted === p.intent).length, kept.length),
    });
  }
  return points;
}

/** What the router does with a set of predictions under given route / ask thresholds. */
export interface ThresholdOutcome {
  /** Share routed straight to the top intent (confidence ≥ route), and how many of those are right. */
  routed: number;
  routedPrecision: number;
  /** Share asked to choose (ask ≤ confidence < route), and how often the right intent is in the top 3. */
  asked: number;
  askedTop3: number;
  /** Share below ask (rephrase), and how often the top reading was right anyway. */
  fallback: number;
  fallbackTop1: number;
}

export function thresholdOutcome(predictions: readonly Prediction[], route: number, ask: number): ThresholdOutcome {
  const routed = predictions.filter((p) => p.confidence >= route);
  const asked = predictions.filter((p) => p.confidence >= ask && p.confidence < route);
  const fallen = predictions.filter((p) => p.confidence < ask);
  return {
    routed: ratio(routed.length, predictions.length),
    routedPrecision: ratio(routed.filter((p) => p.predicted === p.intent).length, routed.length),
    asked: ratio(asked.length, predictions.length),
    askedTop3: ratio(asked.filter((p) => p.rank >= 1 && p.rank <= 3).length, asked.length),
    fallback: ratio(fallen.length, predictions.length),
    fallbackTop1: ratio(fallen.filter((p) => p.predicted === p.intent).length, fallen.length),
  };
}

export interface StyleFigures {
  style: string;
  total: number;
  accuracy: number;
}

/** Accuracy per writing style (one-word, typo, slang, …), in order of first appearance; unstyled under "—". */
export function styleBreakdown(predictions: readonly Prediction[]): StyleFigures[] {
  const byStyle = new Map<string, Prediction[]>();
  for (const p of predictions) {
    const style = p.style ?? '—';
    const list = byStyle.get(style);
    if (list) list.push(p);
    else byStyle.set(style, [p]);
  }
  return [...byStyle].map(([style, list]) => ({
    style,
    total: list.length,
    accuracy: ratio(list.filter((p) => p.predicted === p.intent).length, list.length),
  }));
}

export interface MixedFigures {
  total: number;
  /** Share whose top reading is the specific intent. */
  top1: number;
  /** Share with the specific intent among the top two readings (routing can prefer it there). */
  top2: number;
}

/** How well mixed messages (a generic complaint plus a specific cause, labelled specific) are ranked. */
export function mixedFigures(e: Evaluation): MixedFigures {
  const p = e.predictions;
  return {
    total: p.length,
    top1: ratio(p.filter((x) => x.rank === 1).length, p.length),
    top2: ratio(p.filter((x) => x.rank >= 1 && x.rank <= 2).length, p.length),
  };
}

export interface ReliabilityBin {
  /** Confidence range [lower, upper). */
  lower: number;
  upper: number;
  count: number;
  /** Mean top confidence in the bin, and the share right. */
  confidence: number;
  accuracy: number;
}

export interface Reliability {
  bins: ReliabilityBin[];
  /** Expected calibration error: Σ (bin share × |accuracy − confidence|). */
  ece: number;
}

/** Reliability curve of the top confidence in equal-width bins, and its expected calibration error. */
export function reliability(predictions: readonly Prediction[], binCount = 10): Reliability {
  const bins: ReliabilityBin[] = Array.from({ length: binCount }, (_, i) => ({
    lower: i / binCount,
    upper: (i + 1) / binCount,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  for (const p of predictions) {
    const bin = bins[Math.min(binCount - 1, Math.floor(p.confidence * binCount))] as ReliabilityBin;
    bin.count++;
    bin.confidence += p.confidence;
    bin.accuracy += p.predicted === p.intent ? 1 : 0;
  }
  let ece = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    ece += (b.count / predictions.length) * Math.abs(b.accuracy - b.confidence) / b.count;
    b.confidence /= b.count;
    b.accuracy /= b.count;
  }
  return { bins, ece };
}
