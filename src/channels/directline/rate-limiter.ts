export interface RateLimiterOptions {
  /** Requests allowed per key per window. */
  limit: number;
  windowMs: number;
  /** Keys tracked at most; beyond this the oldest windows are dropped, so memory stays bounded. */
  maxKeys?: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Counts a request; resolves to 0 when allowed, else the seconds until the key may try again. */
  take(key: string): Promise<number>;
}

/** A fixed-window counter per key (client address): simple, and enough to stop token farming. */
export function createRateLimiter({ limit, windowMs, maxKeys = 10_000, now = Date.now }: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('createRateLimiter needs limit >= 1');
  if (!(windowMs > 0)) throw new Error('createRateLimiter needs windowMs > 0');
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async take(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        windows.delete(key);
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count <= limit ? 0 : Math.ceil((w.start + windowMs - t) / 1000);
    },
  };
}
