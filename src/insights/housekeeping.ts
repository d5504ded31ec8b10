import type { InsightsStore } from './insights-store';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A periodic job of the housekeeping. */
export type HousekeepingJob = 'abandonment' | 'retention';

export interface HousekeepingOptions {
  store: InsightsStore;
  /** Events, ratings, inbox items (and whatever `alsoDelete` covers) older than this are deleted. */
  retentionDays: number;
  /** A conversation left inside a fix for this long counts as abandoned. */
  abandonAfterMinutes: number;
  /**
   * Other stores under the same retention (transcripts, hand-off records): delete what is older than the ISO time
   * given. Run daily by every instance, lease or not: such a store may be the instance's own (SQLite), and deleting
   * what another instance already deleted from a shared one finds nothing.
   */
  alsoDelete?: readonly ((beforeIso: string) => number | Promise<number>)[];
  /**
   * With several instances sharing the stores: whether this instance runs
   * `job` now, holding it for `forMs` (a lease in Redis). Without it, every
   * pass runs here. Only the insights store's passes are claimed.
   */
  claim?: (job: HousekeepingJob, forMs: number) => Promise<boolean>;
  onError?: (error: unknown) => void;
  now?: () => number;
}

export interface Housekeeping {
  /** One pass (after the one running, if any): marks abandoned conversations; deletes what is past retention when a day has passed since the last deletion. */
  run(): Promise<{ abandoned: number; deleted: number }>;
  stop(): void;
}

/**
 * The insights' background jobs: every minute, conversations idle inside a
 * fix are marked abandoned; once a day (and at start), what is older than
 * the retention is deleted. With `claim`, one instance of several runs each
 * job per period (marking is idempotent anyway). Timers are unref'd: they
 * never keep the process up.
 */
export function startHousekeeping(o: HousekeepingOptions): Housekeeping {
  if (!(o.retentionDays > 0) || !(o.abandonAfterMinutes > 0)) throw new RangeError('housekeeping: retentionDays and abandonAfterMinutes must be positive');
  const now = o.now ?? Date.now;
  const claim = o.claim ?? (async () => true);
  let lastDeletion = -Infinity;
  // Each pass looks only at conversations active since the previous pass's idle cut-off (the first at all of them).
  let lookedAtUntil = '';
  const pass = async (): Promise<{ abandoned: number; deleted: number }> => {
    const t = now();
    const idleSince = new Date(t - o.abandonAfterMinutes * MINUTE_MS).toISOString();
    let abandoned = 0;
    // A little under a minute, so the next minute's pass is free to run (here or on another instance).
    if (await claim('abandonment', MINUTE_MS - 5_000)) {
      abandoned = await o.store.markAbandoned(idleSince, new Date(t).toISOString(), lookedAtUntil);
      lookedAtUntil = idleSince;
    }
    let deleted = 0;
    if (t - lastDeletion >= DAY_MS) {
      lastDeletion = t;
      const before = new Date(t - o.retentionDays * DAY_MS).toISOString();
      if (await claim('retention', DAY_MS - MINUTE_MS)) deleted = await o.store.deleteOlderThan(before);
      for (const erase of o.alsoDelete ?? []) deleted += await erase(before);
    }
    return { abandoned, deleted };
  };
  // Passes never overlap: one asked for while another runs starts after it; a timer's tick while one runs (a slow store) is skipped.
  let queue: Promise<unknown> = Promise.resolve();
  let busy = 0;
  const run = (): Promise<{ abandoned: number; deleted: number }> => {
    busy++;
    const next = queue.then(pass).finally(() => busy--);
    queue = next.catch(() => undefined);
    return next;
  };
  const guarded = (): void => {
    if (busy === 0) run().catch((error: unknown) => o.onError?.(error));
  };
  guarded();
  const timer = setInterval(guarded, MINUTE_MS);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
