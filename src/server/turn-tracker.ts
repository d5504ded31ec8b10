/**
 * The turns in flight on /api/messages, so that shutting down can wait for
 * them: a user mid-turn gets the bot's answer, not a cut connection.
 */
export interface TurnTracker {
  /** Counts `turn` as in flight until it settles; returns it unchanged. */
  track<T>(turn: Promise<T>): Promise<T>;
  size(): number;
  /** Resolves true once nothing is in flight, or false after `timeoutMs` with turns still running. */
  drained(timeoutMs: number): Promise<boolean>;
}

export function createTurnTracker(): TurnTracker {
  const inFlight = new Set<Promise<unknown>>();
  let onIdle: Array<() => void> = [];
  return {
    track(turn) {
      const settled = turn.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => {
        inFlight.delete(settled);
        if (inFlight.size === 0) for (const wake of onIdle.splice(0)) wake();
      });
      return turn;
    },
    size: () => inFlight.size,
    drained(timeoutMs) {
      if (inFlight.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          onIdle = onIdle.filter((w) => w !== wake);
          resolve(false);
        }, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        onIdle.push(wake);
      });
    },
  };
}
