import type { Period } from './insights-store';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * A period from what a person types: `--since 7d` (also `24h`, `2w`, or an
 * ISO date) up to `--until` (same forms; now when left out). Throws a
 * RangeError naming the bad value.
 */
export function parsePeriod(since: string | undefined, until: string | undefined, now: Date = new Date()): Period {
  const end = until === undefined ? now : pointInTime(until, now, 'until');
  const start = pointInTime(since ?? '7d', end, 'since');
  if (start.getTime() >= end.getTime()) throw new RangeError(`the period is empty: since ${start.toISOString()} is not before until ${end.toISOString()}`);
  return { since: start.toISOString(), until: end.toISOString() };
}

function pointInTime(value: string, from: Date, name: string): Date {
  const relative = /^(\d{1,4})([hdw])$/.exec(value.trim());
  if (relative) return new Date(from.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new RangeError(`--${name} must be like 7d, 24h, 2w or a date like 2026-11-01 (got "${value}")`);
}

/** Each fix's step ids in the order the fix walks them, for the funnel tables. */
export function stepOrderOf(fixes: readonly { id: string; steps: readonly { id: string }[] }[]): Map<string, string[]> {
  return new Map(fixes.map((fix) => [fix.id, fix.steps.map((s) => s.id)]));
}
