import type { InsightsStore } from './insights-store';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface HousekeepingOptions {
  store: InsightsStore;
  /** Events, ratings, inbox items (and whatever `alsoDelete` covers) older than this are deleted. */
  retentionDays: number;
  /** A conversation left inside a fix for this long counts as abandoned. */
  abandonAfterMinutes: number;
  /** Other stores under the same retention (transcripts, hand-off records): delete what is older than the ISO time given. */
  alsoDelete?: readonly ((beforeIso: string) => number)[];
  onError?: (error: unknown) => void;
  now?: () => number;
}

export interface Housekeeping {
  /** One pass now: marks abandoned conversations; deletes what is past retention when a day has passed since the last deletion. */
  run(): { abandoned: number; deleted: number };
  stop(): void;
}

/**
 * The insights' background jobs: every minute, conversations idle inside a
 * fix are marked abandoned; once a day (and at start), what is older than
 * the retention is deleted. Timers are unref'd: they never keep the process up.
 */
export function startHousekeeping(o: HousekeepingOptions): Housekeeping {
  if (!(o.retentionDays > 0) || !(o.abandonAfterMinutes > 0)) throw new RangeError('housekeeping: retentionDays and abandonAfterMinutes must be positive');
  const now = o.now ?? Date.now;
  let lastDeletion = -Infinity;
  // Each pass looks only at conversations active since the previous pass's idle cut-off (the first at all of them).
  let lookedAtUntil = '';
  const run = (): { abandoned: number; deleted: number } => {
    const t = now();
    const idleSince = new Date(t - o.abandonAfterMinutes * MINUTE_MS).toISOString();
    const abandoned = o.store.markAbandoned(idleSince, new Date(t).toISOString(), lookedAtUntil);
    lookedAtUntil = idleSince;
    let deleted = 0;
    if (t - lastDeletion >= DAY_MS) {
      lastDeletion = t;
      const before = new Date(t - o.retentionDays * DAY_MS).toISOString();
      deleted = o.store.deleteOlderThan(before) + (o.alsoDelete ?? []).reduce((n, erase) => n + erase(before), 0);
    }
    return { abandoned, deleted };
  };
  const guarded = (): void => {
    try {
      run();
    } catch (error) {
      o.onError?.(error);
    }
  };
  guarded();
  const timer = setInterval(guarded, MINUTE_MS);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
