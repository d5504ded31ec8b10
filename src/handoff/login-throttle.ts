/** Failed sign-ins allowed per address and name within the window before more are refused. */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
// Bounded memory: the oldest entries go first when a flood of names arrives.
const MAX_KEYS = 10_000;

/**
 * Slows password guessing: after MAX_FAILURES failed sign-ins from one
 * address for one name (or 4× that for the address, whatever the names)
 * within WINDOW_MS, sign-ins are refused until the window has passed.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait, or 0 when a sign-in may be tried. */
  retryAfter(address: string, name: string): number {
    const limits: Array<[string, number]> = [
      [`${address}\u0000${name}`, MAX_FAILURES],
      [address, MAX_FAILURES * 4],
    ];
    let wait = 0;
    for (const [key, limit] of limits) {
      const recent = this.recent(key);
      if (recent.length >= limit) wait = Math.max(wait, Math.ceil((recent[0]! + WINDOW_MS - this.now()) / 1000));
    }
    return wait;
  }

  failed(address: string, name: string): void {
    for (const key of [`${address}\u0000${name}`, address]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(address: string, name: string): void {
    this.failures.delete(`${address}\u0000${name}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - WINDOW_MS;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}
