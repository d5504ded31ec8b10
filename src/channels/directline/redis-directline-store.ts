import type Redis from 'ioredis';
import type { Logger } from '../../log';
import type { SharedRedis } from '../../scale/redis-client';
import { HttpError } from '../../server/http-error';
import { parseWatermark } from './conversation-log';
import type { ActivitySet, ClientActivity, LogLimits, WireActivity } from './conversation-log';
import type { DirectLineStore, Listener } from './directline-store';
import { orUnavailable } from './redis-unavailable';

export interface RedisDirectLineStoreOptions extends LogLimits {
  redis: SharedRedis;
  log: Logger;
  /** A conversation nobody has written to for this long expires (its log and members). */
  idleSeconds: number;
  /** How long after that its last activity number is remembered, so a returning client is told and numbering goes on. */
  rememberSeconds: number;
}

/**
 * Keys (under `${prefix}dl:`): `conv:{id}` a hash {user, seq, bytes};
 * `log:{id}` a stream whose entry ids are `{seq}-1`, so a watermark is a
 * stream position; `last:{id}` the last number, outliving the rest;
 * `refused:{id}` set while its start was refused and it was not created since.
 * Appending (number, log, trim, expiry, publish) is one script, so it is
 * atomic whichever instance runs it.
 */
const CREATE = `
local user = redis.call('HGET', KEYS[1], 'user')
if user then return {user, 0} end
redis.call('DEL', KEYS[2], KEYS[4])
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'seq', ARGV[2], 'bytes', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[4])
return {ARGV[1], 1}`;

const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('XADD', KEYS[2], seq .. '-1', 'a', ARGV[1], 'b', ARGV[2])
local total = redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[2])
local len = redis.call('XLEN', KEYS[2])
local maxActivities, maxBytes = tonumber(ARGV[3]), tonumber(ARGV[4])
while len > 1 and (len > maxActivities or total > maxBytes) do
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
  total = redis.call('HINCRBY', KEYS[1], 'bytes', -tonumber(oldest[2][4]))
  redis.call('XDEL', KEYS[2], oldest[1])
  len = len - 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[3], seq, 'PX', ARGV[6])
redis.call('PUBLISH', ARGV[7], cjson.encode({c = ARGV[8], s = seq, a = ARGV[1]}))
return seq`;

const EVICTED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
return redis.call('GET', KEYS[2])`;

type Scripted = Redis & {
  dlCreate(conv: string, log: string, last: string, refused: string, user: string, lastSeq: number, ttlMs: number, rememberMs: number): Promise<[string, number]>;
  dlAppend(conv: string, log: string, last: string, json: string, bytes: number, maxActivities: number, maxBytes: number, ttlMs: number, rememberMs: number, channel: string, id: string): Promise<number>;
  dlEvicted(conv: string, last: string): Promise<string | null>;
};

/** How long a refused start is remembered. */
const REFUSED_MS = 3600_000;

/** How soon a watcher that could not read its gap tries again. */
const FILL_RETRY_MS = 2_000;

/** One published activity: conversation, number, JSON without its id. */
interface Published {
  c: string;
  s: number;
  a: string;
}

interface Numbered {
  seq: number;
  activity: ClientActivity;
}

/**
 * One listener's place in a conversation: what it has been given up to.
 * Activities arrive by pub/sub; one that skips a number (a message lost
 * while the subscriber reconnected) makes it read the gap from the log, so
 * it gets everything once and in order.
 */
class Watcher {
  private filling = false;
  private again = false;
  closed = false;

  constructor(
    private readonly read: (from: number) => Promise<{ exists: boolean; items: Numbered[]; lastSeq: number }>,
    private readonly listener: Listener,
    private last: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  offer(seq: number, activity: ClientActivity): void {
    if (this.closed) return;
    if (this.filling) {
      this.again = true;
    } else if (seq === this.last + 1) {
      this.last = seq;
      this.listener({ activities: [activity], watermark: String(seq) });
    } else if (seq > this.last + 1) {
      void this.fill();
    }
  }

  /** Reads whatever came after what it has; resolves when caught up (errors are reported, and retried on reconnect). */
  async fill(first = false): Promise<void> {
    if (this.closed) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.again = false;
        const { exists, items, lastSeq } = await this.read(this.last);
        if (this.closed) return;
        if (!exists) {
          this.closed = true;
          return this.listener(null);
        }
        const fresh = items.filter((i) => i.seq > this.last);
        if (fresh.length > 0 || first) {
          this.last = Math.max(this.last, lastSeq);
          this.listener({ activities: fresh.map((i) => i.activity), watermark: this.last < 0 ? '' : String(this.last) });
        }
        first = false;
      } while (this.again && !this.closed);
    } catch (error) {
      if (first) throw error;
      this.onError(error);
      // Redis answered the subscriber but not this read (the two connections come back apart): try again shortly.
      setTimeout(() => void this.fill(), FILL_RETRY_MS).unref();
    } finally {
      this.filling = false;
    }
  }
}

/**
 * Direct Line conversations in Redis, for several instances behind a load
 * balancer: any instance can serve any request, and each pushes to its own
 * WebSockets what any instance appended. Bounded per conversation like the
 * memory store (count and bytes, oldest dropped first) and by idle expiry
 * instead of a process-wide LRU: Redis's own memory settings bound the rest.
 */
export function createRedisDirectLineStore(options: RedisDirectLineStoreOptions): DirectLineStore & { close(): void } {
  const { redis, log, maxActivities, maxBytes, idleSeconds, rememberSeconds } = options;
  if (!redis) throw new Error('createRedisDirectLineStore needs a SharedRedis');
  for (const [name, value] of Object.entries({ maxActivities, maxBytes, idleSeconds, rememberSeconds })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`createRedisDirectLineStore needs ${name} >= 1`);
  }
  if (!('dlAppend' in redis.client)) {
    redis.client.defineCommand('dlCreate', { numberOfKeys: 4, lua: CREATE });
    redis.client.defineCommand('dlAppend', { numberOfKeys: 3, lua: APPEND });
    redis.client.defineCommand('dlEvicted', { numberOfKeys: 2, lua: EVICTED });
  }
  const client = redis.client as Scripted;
  const key = (kind: 'conv' | 'log' | 'last' | 'refused', id: string) => `${redis.prefix}dl:${kind}:${id}`;
  const channel = `${redis.prefix}dl:activities`;
  const idleMs = idleSeconds * 1000;
  const rememberMs = (idleSeconds + rememberSeconds) * 1000;
  const idOf = (id: string, seq: number) => `${id}|${String(seq).padStart(7, '0')}`;

  const read = async (id: string, from: number): Promise<{ exists: boolean; items: Numbered[]; lastSeq: number }> => {
    const results = await client
      .multi()
      .hget(key('conv', id), 'seq')
      .xrange(key('log', id), `${from + 1}-0`, '+')
      .exec();
    if (!results) throw new Error('redis transaction aborted');
    for (const [error] of results) if (error) throw error;
    const seq = results[0]![1] as string | null;
    const entries = results[1]![1] as Array<[string, string[]]>;
    const items = entries.map(([entryId, fields]) => {
      const n = Number(entryId.split('-')[0]);
      const json = fields[fields.indexOf('a') + 1]!;
      return { seq: n, activity: { ...(JSON.parse(json) as WireActivity), id: idOf(id, n) } };
    });
    return { exists: seq !== null, items, lastSeq: seq === null ? -1 : Number(seq) };
  };

  // Fan-out: one channel for every conversation; each instance keeps only what its own sockets watch.
  const watchers = new Map<string, Set<Watcher>>();
  const subscriber = redis.subscriber();
  let subscribed: Promise<unknown> | undefined;
  const subscribe = () =>
    (subscribed ??= subscriber.subscribe(channel).catch((error: unknown) => {
      subscribed = undefined;
      throw error;
    }));
  const reportFill = (error: unknown) => log.warn('direct line: could not catch a stream up from Redis; retrying on reconnect', { error: String(error) });
  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    let published: Published;
    try {
      published = JSON.parse(message) as Published;
    } catch {
      return;
    }
    const set = watchers.get(published.c);
    if (!set) return;
    const activity = { ...(JSON.parse(published.a) as WireActivity), id: idOf(published.c, published.s) };
    for (const watcher of set) watcher.offer(published.s, activity);
  };
  // After a reconnect, messages published meanwhile were missed: subscribe again (ioredis does, but
  // wait for Redis to confirm it), then read each watched conversation's gap from its log.
  const onReady = () => {
    if (watchers.size === 0) return;
    subscriber
      .subscribe(channel)
      .then(() => {
        for (const set of watchers.values()) for (const watcher of set) void watcher.fill();
      })
      .catch(reportFill);
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);

  return {
    create: (id, userId, lastSeq = -1) =>
      orUnavailable(redis, async () => {
        const [user, fresh] = await client.dlCreate(key('conv', id), key('log', id), key('last', id), key('refused', id), userId, lastSeq, idleMs, rememberMs);
        return { id, userId: user, fresh: fresh === 1 };
      }),
    get: (id) =>
      orUnavailable(redis, async () => {
        const user = await client.hget(key('conv', id), 'user');
        return user === null ? undefined : { id, userId: user };
      }),
    append: (id, activity) =>
      orUnavailable(redis, async () => {
        const json = JSON.stringify(activity);
        // What the client gets is this JSON plus `,"id":"<id>|0000000"`: counted as the memory store counts it.
        const bytes = Buffer.byteLength(json) + Buffer.byteLength(`,"id":"${idOf(id, 0)}"`);
        const seq = await client.dlAppend(key('conv', id), key('log', id), key('last', id), json, bytes, maxActivities, maxBytes, idleMs, rememberMs, channel, id);
        if (seq < 0) throw new HttpError('DL_CONVERSATION_NOT_FOUND');
        return { ...activity, id: idOf(id, seq) };
      }),
    after: (id, watermark) =>
      orUnavailable(redis, async (): Promise<ActivitySet> => {
        const from = parseWatermark(watermark) ?? -1;
        const { items, lastSeq } = await read(id, from);
        const last = Math.max(lastSeq, from);
        return { activities: items.map((i) => i.activity), watermark: last < 0 ? '' : String(last) };
      }),
    watch: (id, watermark, listener) =>
      orUnavailable(redis, async () => {
        const watcher = new Watcher((from) => read(id, from), listener, parseWatermark(watermark) ?? -1, reportFill);
        const set = watchers.get(id) ?? new Set<Watcher>();
        watchers.set(id, set);
        set.add(watcher);
        const unwatch = () => {
          watcher.closed = true;
          set.delete(watcher);
          if (set.size === 0 && watchers.get(id) === set) watchers.delete(id);
        };
        try {
          // Subscribed first, then the replay: whatever is appended in between comes one way or the other.
          await subscribe();
          await watcher.fill(true);
        } catch (error) {
          unwatch();
          throw error;
        }
        return unwatch;
      }),
    // Nothing is evicted while a turn runs: conversations expire only after idleSeconds without a word.
    hold: () => () => undefined,
    evicted: (id) =>
      orUnavailable(redis, async () => {
        const last = await client.dlEvicted(key('conv', id), key('last', id));
        return last === null ? undefined : Number(last);
      }),
    refuseStart: (id) =>
      orUnavailable(redis, async () => {
        // An hour: a refused visitor reloads within minutes; a flood of refusals leaves keys that go soon.
        await client.set(key('refused', id), '1', 'PX', Math.min(idleMs, REFUSED_MS));
      }),
    startRefused: (id) => orUnavailable(redis, async () => (await client.exists(key('refused', id))) === 1),
    close() {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
      for (const set of watchers.values()) for (const watcher of set) watcher.closed = true;
      watchers.clear();
    },
  };
}
