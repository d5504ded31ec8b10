/** The built-in service's bounds: memory, work in flight and shutdown. The README quotes these figures. */
export interface DirectLineLimits {
  /** Conversations held in memory; the least recently used is evicted beyond this. */
  maxConversations: number;
  /** Activities one conversation keeps (oldest dropped first). */
  maxActivitiesPerConversation: number;
  /** Bytes of activity JSON one conversation keeps (oldest dropped first). */
  maxConversationBytes: number;
  /** Bytes of activity JSON all conversations keep together (least recently used evicted first). */
  maxTotalBytes: number;
  /** One activity, the user's or the bot's, as JSON: larger gets 413. */
  maxActivityBytes: number;
  /** Turns posted to the bot at once (also its connection pool). */
  turnConcurrency: number;
  /** Turns waiting for a slot; beyond this, 429 with Retry-After. */
  turnQueue: number;
  /** How long close() lets queued and running turns finish. */
  drainMs: number;
  botTimeoutMs: number;
  /** With REDIS_URL: a conversation nobody has written to for this long expires from Redis. */
  redisIdleSeconds: number;
  /** With REDIS_URL: how much longer its last activity number is remembered (a returning client is told). */
  redisRememberSeconds: number;
}

const KiB = 1024;

export const DEFAULT_LIMITS: Readonly<DirectLineLimits> = {
  maxConversations: 1000,
  maxActivitiesPerConversation: 500,
  maxConversationBytes: 128 * KiB,
  maxTotalBytes: 32 * KiB * KiB,
  maxActivityBytes: 64 * KiB,
  turnConcurrency: 16,
  turnQueue: 200,
  drainMs: 10_000,
  botTimeoutMs: 15_000,
  redisIdleSeconds: 24 * 3600,
  redisRememberSeconds: 7 * 24 * 3600,
};

/**
 * The defaults with `overrides` applied, checked so the caps can always be
 * kept: conversations with a turn in progress can't be evicted, so those
 * (at most concurrency + queue, plus the one being added) must fit in both
 * the count and the byte budget.
 */
export function resolveLimits(overrides: Partial<DirectLineLimits> = {}): DirectLineLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`Direct Line limit ${name} must be a whole number >= 1 (got ${value})`);
  }
  const pinned = limits.turnConcurrency + limits.turnQueue + 1;
  if (limits.maxConversations < pinned) throw new Error(`Direct Line maxConversations must be at least turnConcurrency + turnQueue + 1 (${pinned})`);
  if (limits.maxTotalBytes < pinned * limits.maxConversationBytes) {
    throw new Error(`Direct Line maxTotalBytes must be at least (turnConcurrency + turnQueue + 1) × maxConversationBytes (${pinned * limits.maxConversationBytes})`);
  }
  if (limits.maxConversationBytes < 2 * limits.maxActivityBytes) throw new Error('Direct Line maxConversationBytes must be at least 2 × maxActivityBytes');
  return limits;
}
