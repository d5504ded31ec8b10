import type Redis from 'ioredis';
import type { ConversationLock } from '../bot/conversation-lock';

/**
 * The turns of one conversation, one at a time and in arrival order, across
 * every bot instance that shares a Redis: a ticket lock with a lease.
 *
 * A turn takes a ticket (INCR), waits until the conversation's `serving`
 * number reaches it, then holds a lease (PX) that it renews while it works
 * and hands on (serving + 1) when done. If the instance holding the lease
 * dies, the lease runs out; a waiter that has seen the same ticket served with
 * no lease for a whole lease period skips it, so one killed instance delays a
 * conversation by at most two lease periods (what was left of its lease, then
 * one whole period with none) and never blocks it. A turn that gives up
 * waiting marks its ticket abandoned, and the queue steps over it.
 *
 * The lease is not a guarantee on its own (a paused process can outlive it):
 * state writes carry eTags, so a turn that lost its lease cannot overwrite
 * the state of the turn that followed it.
 */

// KEYS: next, serving, lease, abandoned. Scripts refresh the idle TTL of all but the lease (which has its own) together.
const TOUCH = `
local function touch(ttl)
  for _, i in ipairs({1, 2, 4}) do redis.call('PEXPIRE', KEYS[i], ttl) end
end
`;

/** ARGV: ttl. A new ticket; the first ticket of a conversation (or after it idled out) starts the count. */
const TICKET = `${TOUCH}
local ticket = redis.call('INCR', KEYS[1])
if ticket == 1 or not redis.call('GET', KEYS[2]) then redis.call('SET', KEYS[2], ticket) end
touch(tonumber(ARGV[1]))
return ticket
`;

/**
 * ARGV: ticket, leaseMs, ttl. Steps over abandoned tickets; returns 1 (the
 * lease is now this ticket's), 0 (not yet), or -1 (this ticket was skipped:
 * the queue moved past it).
 */
const TAKE = `${TOUCH}
local ticket = tonumber(ARGV[1])
local serving = tonumber(redis.call('GET', KEYS[2]) or ticket)
while redis.call('SREM', KEYS[4], serving) == 1 do serving = serving + 1 end
redis.call('SET', KEYS[2], serving)
touch(tonumber(ARGV[3]))
if serving > ticket then return -1 end
if serving < ticket then return 0 end
redis.call('SET', KEYS[3], ticket, 'PX', tonumber(ARGV[2]))
return 1
`;

/** ARGV: ticket, leaseMs. Renews the lease if still this ticket's: 1, else 0. */
const RENEW = `
if redis.call('GET', KEYS[3]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[2])) end
return 0
`;

/** ARGV: ticket, ttl. Hands the conversation to the next ticket, if this ticket is the one being served. */
const RELEASE = `${TOUCH}
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('INCR', KEYS[2]) end
touch(tonumber(ARGV[2]))
return 1
`;

/** ARGV: served ticket seen without a lease for a whole lease period. Skips it if that is still so. */
const SKIP = `
if redis.call('GET', KEYS[2]) == ARGV[1] and redis.call('GET', KEYS[3]) ~= ARGV[1] then
  redis.call('INCR', KEYS[2])
  return 1
end
return 0
`;

/** ARGV: ticket. A waiter that gave up: the queue steps over its ticket. */
const ABANDON = `
redis.call('SADD', KEYS[4], ARGV[1])
return 1
`;

interface LockCommands {
  lockTicket(...args: (string | number)[]): Promise<number>;
  lockTake(...args: (string | number)[]): Promise<number>;
  lockRenew(...args: (string | number)[]): Promise<number>;
  lockRelease(...args: (string | number)[]): Promise<number>;
  lockSkip(...args: (string | number)[]): Promise<number>;
  lockAbandon(...args: (string | number)[]): Promise<number>;
}

export interface RedisConversationLockOptions {
  redis: Redis;
  prefix?: string;
  /** How long a lease lasts without renewal: the longest a dead instance can hold up a conversation. */
  leaseMs?: number;
  /** How long a turn waits for its go before giving up (the channel then gets an error and retries). */
  waitMs?: number;
  /** Pause between checks while waiting. */
  pollMs?: number;
}

export class ConversationLockTimeoutError extends Error {
  constructor(key: string, waitMs: number) {
    super(`waited ${waitMs} ms for the earlier turns of conversation "${key}"`);
    this.name = 'ConversationLockTimeoutError';
  }
}

/** How long a conversation's lock keys outlive its last turn. */
const IDLE_TTL_MS = 24 * 3600_000;

export class RedisConversationLock implements ConversationLock {
  private readonly redis: Redis & LockCommands;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;

  constructor(o: RedisConversationLockOptions) {
    if (!o?.redis) throw new TypeError('RedisConversationLock: options.redis (an ioredis client) is required');
    this.redis = o.redis as Redis & LockCommands;
    this.prefix = o.prefix ?? 'bot:turns:';
    this.leaseMs = o.leaseMs ?? 10_000;
    this.waitMs = o.waitMs ?? 30_000;
    this.pollMs = o.pollMs ?? 10;
    if (!(this.leaseMs >= 100 && this.waitMs > 0 && this.pollMs > 0)) throw new RangeError('RedisConversationLock: leaseMs ≥ 100, waitMs and pollMs > 0');
    const scripts: Record<keyof LockCommands, string> = {
      lockTicket: TICKET,
      lockTake: TAKE,
      lockRenew: RENEW,
      lockRelease: RELEASE,
      lockSkip: SKIP,
      lockAbandon: ABANDON,
    };
    for (const [name, lua] of Object.entries(scripts)) {
      if (typeof (this.redis as unknown as Record<string, unknown>)[name] !== 'function') this.redis.defineCommand(name, { numberOfKeys: 4, lua });
    }
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    // The hash tag keeps a conversation's keys in one slot (Redis Cluster).
    const base = `${this.prefix}{${key}}:`;
    const keys = [`${base}next`, `${base}serving`, `${base}lease`, `${base}abandoned`];
    const r = this.redis;
    const ticket = await r.lockTicket(...keys, IDLE_TTL_MS);
    await this.waitForTurn(key, keys, ticket);
    const renewal = setInterval(() => {
      r.lockRenew(...keys, ticket, this.leaseMs).catch(() => undefined);
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await r.lockRelease(...keys, ticket, IDLE_TTL_MS);
    }
  }

  private async waitForTurn(key: string, keys: string[], ticket: number): Promise<void> {
    const r = this.redis;
    const deadline = Date.now() + this.waitMs;
    // The ticket being served, and since when it has been served without a lease.
    let stalled: { serving: string; since: number } | undefined;
    for (;;) {
      const taken = await r.lockTake(...keys, ticket, this.leaseMs, IDLE_TTL_MS);
      if (taken === 1) return;
      if (taken === -1) throw new ConversationLockTimeoutError(key, 0);
      const [serving, lease] = await r.mget(keys[1]!, keys[2]!);
      const now = Date.now();
      if (serving !== null && lease !== serving) {
        if (stalled?.serving !== serving) stalled = { serving, since: now };
        else if (now - stalled.since >= this.leaseMs) {
          await r.lockSkip(...keys, serving);
          stalled = undefined;
        }
      } else stalled = undefined;
      if (now > deadline) {
        await r.lockAbandon(...keys, ticket);
        throw new ConversationLockTimeoutError(key, this.waitMs);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs * (0.5 + Math.random())));
    }
  }
}
