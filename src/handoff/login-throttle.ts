/** Failed sign-ins allowed per address and name within the window before more are refused. */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
// Bounded memory: the oldest entries go first when a flood of names arrives.
const MAX_KEYS = 10_000;

/**
 * Slows password guessing: after MAX_FAILURES failed sign-ins from one
 * address for one name (or 4× that for the address, whatever the names)
 * within WINDOW_MS, sign-ins are refused until the window has passed. In
 * this process's memory (one instance) or in Redis (counted over every
 * instance); both pass the throttle contract in test/handoff.
 */
export interface LoginThrottle {
  /** Seconds to wait, or 0 when a sign-in may be tried. */
  retryAfter(address: string, name: string): Promise<number>;
  failed(address: string, name: string): Promise<void>;
  succeeded(address: string, name: string): Promise<void>;
}

/** The counters a sign-in attempt is checked against, with their limits; the first is the name's (a success clears it). */
export function throttleKeys(address: string, name: string): Array<[string, number]> {
  return [
    [`${address}\u0000${name}`, MAX_FAILURES],
    [address, MAX_FAILURES * 4],
  ];
}

/** Seconds until the oldest of `recent` failures leaves the window, if there are `limit` of them. */
export function waitFor(recent: number, oldest: number | undefined, limit: number, now: number): number {
  return recent >= limit && oldest !== undefined ? Math.max(0, Math.ceil((oldest + WINDOW_MS - now) / 1000)) : 0;
}

export class MemoryLoginThrottle implements LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  async retryAfter(address: string, name: string): Promise<number> {
    let wait = 0;
    for (const [key, limit] of throttleKeys(address, name)) {
      const recent = this.recent(key);
      wait = Math.max(wait, waitFor(recent.length, recent[0], limit, this.now()));
    }
    return wait;
  }

  async failed(address: string, name: string): Promise<void> {
    for (const [key] of throttleKeys(address, name)) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  async succeeded(address: string, name: string): Promise<void> {
    this.failures.delete(throttleKeys(address, name)[0]![0]);
  }

  private recent(key: string): number[] {
    const since = this.now() - WINDOW_MS;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}
