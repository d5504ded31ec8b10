import { INTENTS } from './types';
import type { IntentName, Nlu } from './types';

export interface LabelledExample {
  text: string;
  intent: IntentName;
}

export interface Prediction extends LabelledExample {
  predicted: IntentName;
  confidence: number;
  /** Where the right intent stands in the ranking (1 = top). */
  rank: number;
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
  const predictions: Prediction[] = examples.map((e) => {
    const r = nlu.parse(e.text);
    const rank = r.intent_ranking.findIndex((s) => s.name === e.intent) + 1;
    return { ...e, predicted: r.intent.name, confidence: r.intent.confidence, rank };
  });
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
    predictions,
    errors,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** A Markdown report: summary, per-intent P/R/F1, misclassified messages, confusion matrix. */
export function formatReport(e: Evaluation, title = 'NLU evaluation'): string {
  const lines = [
    `# ${title}`,
    '',
    `${e.total} messages · accuracy ${pct(e.accuracy)} · none recall ${pct(e.noneRecall)} · in-scope sent to none ${pct(e.inScopeToNone)}`,
    '',
    '| intent | support | precision | recall | F1 |',
    '|---|---:|---:|---:|---:|',
    ...e.perIntent.map(
      (m) => `| ${m.intent} | ${m.support} | ${m.precision.toFixed(2)} | ${m.recall.toFixed(2)} | ${m.f1.toFixed(2)} |`,
    ),
    '',
    `## Misclassified (${e.errors.length})`,
    '',
    '| text | expected | predicted | confidence | rank of expected |',
    '|---|---|---|---:|---:|',
    ...e.errors.map(
      (p) => `| ${p.text.replace(/\|/g, '\\|')} | ${p.intent} | ${p.predicted} | ${p.confidence.toFixed(2)} | ${p.rank} |`,
    ),
    '',
    '## Confusion matrix (rows: expected, columns: predicted)',
    '',
    `| | ${INTENTS.map((_, i) => i + 1).join(' | ')} |`,
    `|---|${INTENTS.map(() => '---:').join('|')}|`,
    ...INTENTS.map((a, i) => `| ${i + 1} ${a} | ${INTENTS.map((b) => e.confusion[a][b] || '·').join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
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
