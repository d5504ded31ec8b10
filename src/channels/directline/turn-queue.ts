import { RetryLaterError } from './retry-later-error';

/** A new conversation's welcome, or a turn in a conversation already under way. */
export type TurnKind = 'start' | 'message';

export interface TurnQueueOptions {
  /** Turns sent to the bot at once. */
  concurrency: number;
  /** Turns that may wait for a free slot; beyond this, new turns are refused with 429. */
  capacity: number;
  /**
   * The part of `capacity` new conversations may fill (0–1). The rest is kept
   * for people already mid-conversation, so a flood of visitors can't lock them out.
   */
  startShare?: number;
  now?: () => number;
}

export interface DrainResult {
  /** Turns still running when the grace period ended (their outcome is no longer awaited). */
  abandoned: number;
  /** Turns that never started; they were refused with 503. */
  refused: number;
}

export interface TurnQueue {
  /** Throws DL_BUSY (429) if a turn of this kind would not fit now, DL_SHUTTING_DOWN (503) once closing. */
  ensureRoom(kind: TurnKind): void;
  /** Queues a turn (after the same check); it runs when a slot is free and settles as `job` does. */
  submit<T>(kind: TurnKind, job: () => Promise<T>): Promise<T>;
  /** Seconds a refused client should wait: the time the backlog needs at the recent pace. */
  retryAfterSeconds(): number;
  /** Refuses new turns, then waits up to `graceMs` for queued and running ones. */
  close(graceMs: number): Promise<DrainResult>;
  readonly closing: boolean;
  stats(): { running: number; waiting: number };
}

interface Waiting {
  start(): void;
  refuse(error: Error): void;
}

const MAX_RETRY_AFTER_SECONDS = 30;

/**
 * A FIFO of turns with a fixed number in flight: work a flood brings in is
 * either queued (and then always run) or refused at once with 429, never
 * silently lost, and connections to the bot stay bounded.
 */
export function createTurnQueue({ concurrency, capacity, startShare = 0.75, now = Date.now }: TurnQueueOptions): TurnQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('createTurnQueue needs concurrency >= 1');
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error('createTurnQueue needs capacity >= 1');
  if (!(startShare > 0 && startShare <= 1)) throw new Error('createTurnQueue needs 0 < startShare <= 1');
  const limits: Record<TurnKind, number> = { start: Math.max(1, Math.floor(capacity * startShare)), message: capacity };
  const waiting: Waiting[] = [];
  const drained = new Set<() => void>();
  let running = 0;
  let closing = false;
  // A moving average of how long a turn takes, for Retry-After.
  let averageMs = 200;

  const retryAfterSeconds = () => {
    const seconds = Math.ceil((((waiting.length + running) / concurrency) * averageMs) / 1000);
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
  };

  const ensureRoom = (kind: TurnKind) => {
    if (closing) throw new RetryLaterError('DL_SHUTTING_DOWN', MAX_RETRY_AFTER_SECONDS);
    if (running < concurrency && waiting.length === 0) return;
    if (waiting.length >= limits[kind]) throw new RetryLaterError('DL_BUSY', retryAfterSeconds());
  };

  const next = () => {
    while (running < concurrency && waiting.length > 0) waiting.shift()!.start();
    if (running === 0 && waiting.length === 0) {
      for (const done of drained) done();
      drained.clear();
    }
  };

  return {
    ensureRoom,
    submit<T>(kind: TurnKind, job: () => Promise<T>) {
      ensureRoom(kind);
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          start() {
            running += 1;
            const startedAt = now();
            // The slot is freed (and the next turn started) before the caller hears back.
            const settle = () => {
              running -= 1;
              averageMs = 0.8 * averageMs + 0.2 * (now() - startedAt);
              next();
            };
            new Promise<T>((run) => run(job())).then(
              (value) => {
                settle();
                resolve(value);
              },
              (error: unknown) => {
                settle();
                reject(error);
              },
            );
          },
          refuse: reject,
        });
        next();
      });
    },
    retryAfterSeconds,
    async close(graceMs) {
      closing = true;
      if (running > 0 || waiting.length > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          drained.add(resolve);
          timer = setTimeout(resolve, graceMs);
        });
        clearTimeout(timer);
        drained.clear();
      }
      const never = waiting.splice(0);
      for (const turn of never) turn.refuse(new RetryLaterError('DL_SHUTTING_DOWN', MAX_RETRY_AFTER_SECONDS));
      return { abandoned: running, refused: never.length };
    },
    get closing() {
      return closing;
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}
