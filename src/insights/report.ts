import { OUTCOME_KINDS } from './insights-store';
import type { InsightsFigures } from './figures';

/** The figures as rows of one flat table: what the CSV export and the terminal tables are both made from. */
export interface FigureRow {
  section: 'summary' | 'outcome' | 'resolved_by_fix' | 'fix' | 'step' | 'csat';
  fix: string;
  step: string;
  metric: string;
  value: number;
}

export function figureRows(f: InsightsFigures): FigureRow[] {
  const rows: FigureRow[] = [];
  const add = (section: FigureRow['section'], metric: string, value: number, fix = '', step = ''): void => {
    rows.push({ section, fix, step, metric, value });
  };
  add('summary', 'conversations', f.conversations);
  add('summary', 'open', f.open);
  for (const kind of OUTCOME_KINDS) add('outcome', kind, f.outcomes[kind]);
  for (const r of f.resolvedByFix) add('resolved_by_fix', 'resolved', r.resolved, r.fix);
  for (const fix of f.fixes) {
    add('fix', 'started', fix.started, fix.fix);
    add('fix', 'solved', fix.solved, fix.fix);
    add('fix', 'failed', fix.failed, fix.fix);
    add('fix', 'abandoned', fix.abandoned, fix.fix);
    for (const s of fix.steps) {
      add('step', 'reached', s.reached, fix.fix, s.step);
      add('step', 'cant_find', s.cantFind, fix.fix, s.step);
      add('step', 'abandoned', s.abandoned, fix.fix, s.step);
    }
  }
  add('csat', 'answers', f.csat.answers);
  if (f.csat.mean !== null) add('csat', 'mean', f.csat.mean);
  f.csat.distribution.forEach((n, i) => add('csat', `score_${i + 1}`, n));
  return rows;
}

/** RFC 4180 CSV; cells that could be read as a formula by a spreadsheet are prefixed with a quote. */
export function toCsv(f: InsightsFigures): string {
  const cell = (v: string | number): string => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [['section', 'fix', 'step', 'metric', 'value', 'since', 'until'].join(',')];
  for (const r of figureRows(f)) lines.push([r.section, r.fix, r.step, r.metric, r.value, f.period.since, f.period.until].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const pct = (n: number, of: number): string => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);

function table(head: string[], body: (string | number)[][]): string {
  const cells = [head, ...body.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The terminal report of `npm run insights`. */
export function formatTables(f: InsightsFigures): string {
  const withOutcome = f.conversations - f.open;
  const parts = [
    `Insights ${f.period.since} → ${f.period.until}: ${f.conversations} conversations (${f.open} still open)`,
    table(
      ['outcome', 'conversations', 'share'],
      OUTCOME_KINDS.map((k) => [k, f.outcomes[k], pct(f.outcomes[k], withOutcome)]),
    ),
    table(
      ['fix', 'started', 'solved', 'failed', 'abandoned', 'solve rate'],
      f.fixes.map((x) => [x.fix, x.started, x.solved, x.failed, x.abandoned, pct(x.solved, x.started)]),
    ),
    table(
      ['fix / step', 'reached', "can't find", 'abandoned'],
      f.fixes.flatMap((x) => x.steps.map((s) => [`${x.fix} / ${s.step}`, s.reached, s.cantFind, s.abandoned])),
    ),
    table(
      ['CSAT', 'answers', 'mean', '1', '2', '3', '4', '5'],
      [['all', f.csat.answers, f.csat.mean ?? '—', ...f.csat.distribution]],
    ),
  ];
  return `${parts.join('\n\n')}\n`;
}
