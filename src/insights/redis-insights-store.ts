import type Redis from 'ioredis';
import { checkScore, IN_PROGRESS_KINDS, nowIso, storedReadings, storedText } from './insights-store';
import type { CsatAnswer, CsatRow, InboxItem, InboxReason, InboxStatus, InsightEvent, InsightsStore, Period, StoredEvent } from './insights-store';

/**
 * The insights in Redis, shared by every instance of the bot (REDIS_URL),
 * under `<prefix>insights:`. Each kind of record is a hash of JSON by id
 * (events and inbox items get ids from a counter, ratings are keyed by the
 * conversation) with sorted sets beside it: by time (periods, retention),
 * by conversation, and for the inbox by status. Every write that reads
 * before it writes is one Lua script, so two instances never half-apply
 * one: one rating per conversation, one `abandoned` per idle conversation,
 * a review of an item that another reviewer just imported refused.
 * Per-conversation keys are computed by the caller (scripts name all their
 * keys), and the store needs one Redis server, not a cluster.
 */

/** KEYS: seq, hash, by-time, then the sets the id also goes in (by conversation, the inbox's open set); ARGV: json, time ms. */
const ADD = `
local id = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], id, ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], id)
for i = 4, #KEYS do redis.call('ZADD', KEYS[i], id, id) end
return id
`;

/**
 * KEYS: seq, events, by-time, by-conversation; ARGV: idleSince ms, at, at ms, in-progress kinds…
 * Times are compared as the by-time scores (numbers): Lua compares strings by the server's locale.
 */
const ABANDON = `
local last = redis.call('ZRANGE', KEYS[4], -1, -1)[1]
if not last then return 0 end
local raw = redis.call('HGET', KEYS[2], last)
local t = redis.call('ZSCORE', KEYS[3], last)
if not raw or not t then return 0 end
if tonumber(t) >= tonumber(ARGV[1]) then return 0 end
local e = cjson.decode(raw)
local inside = false
for i = 4, #ARGV do if ARGV[i] == e.kind then inside = true end end
if not inside then return 0 end
e.kind = 'abandoned'
e.at = ARGV[2]
local id = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], id, cjson.encode(e))
redis.call('ZADD', KEYS[3], ARGV[3], id)
redis.call('ZADD', KEYS[4], id, id)
return 1
`;

/** KEYS: ratings, by-time; ARGV: conversation, json, time ms. */
const RATE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
`;

/** KEYS: ratings; ARGV: conversation, comment ('' with ARGV[3] = 'clear' removes it). */
const COMMENT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local c = cjson.decode(raw)
if ARGV[3] == 'clear' then
  if c.comment == nil or c.comment == cjson.null then return 0 end
  c.comment = cjson.null
else
  c.comment = ARGV[2]
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(c))
return 1
`;

/**
 * KEYS: items, open, labelled, dismissed, imported; ARGV: id, new status,
 * label, labelled by, 'review' (only open or labelled items) or 'any'.
 * Readings stay a JSON string inside the item: Lua's cjson would turn an empty list into {}.
 */
const SET_STATUS = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local item = cjson.decode(raw)
if ARGV[5] == 'review' and item.status ~= 'open' and item.status ~= 'labelled' then return 0 end
local sets = { open = KEYS[2], labelled = KEYS[3], dismissed = KEYS[4], imported = KEYS[5] }
redis.call('ZREM', sets[item.status], ARGV[1])
item.status = ARGV[2]
if ARGV[3] ~= '' then
  item.label = ARGV[3]
  item.labelledBy = ARGV[4]
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(item))
redis.call('ZADD', sets[item.status], ARGV[1], ARGV[1])
return 1
`;

/** KEYS: items, by-conversation, by-time; ARGV: since (ms), readings json. */
const REPHRASED = `
local ids = redis.call('ZREVRANGE', KEYS[2], 0, -1)
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', KEYS[1], id)
  local t = redis.call('ZSCORE', KEYS[3], id)
  if raw and t then
    local item = cjson.decode(raw)
    if item.reason == 'fallback' and item.status == 'open' and tonumber(t) >= tonumber(ARGV[1]) then
      item.reason = 'rephrased'
      item.readings = ARGV[2]
      redis.call('HSET', KEYS[1], id, cjson.encode(item))
      return 1
    end
  end
end
return 0
`;

/** KEYS: items, by-time, open, labelled, dismissed, imported, by-conversation. Resolves to how many were deleted. */
const DROP_INBOX_OF = `
local ids = redis.call('ZRANGE', KEYS[7], 0, -1)
local n = 0
for _, id in ipairs(ids) do
  n = n + redis.call('HDEL', KEYS[1], id)
  for k = 2, 6 do redis.call('ZREM', KEYS[k], id) end
end
redis.call('DEL', KEYS[7])
return n
`;

interface Scripts {
  insightsAdd(seq: string, hash: string, byTime: string, byConversation: string, json: string, ms: number): Promise<number>;
  insightsAddInbox(seq: string, hash: string, byTime: string, byConversation: string, open: string, json: string, ms: number): Promise<number>;
  insightsAbandon(seq: string, events: string, byTime: string, byConversation: string, ...args: string[]): Promise<number>;
  insightsRate(ratings: string, byTime: string, conversation: string, json: string, ms: number): Promise<number>;
  insightsComment(ratings: string, conversation: string, comment: string, mode: 'set' | 'clear'): Promise<number>;
  insightsSetStatus(...keysAndArgs: string[]): Promise<number>;
  insightsRephrased(items: string, byConversation: string, byTime: string, since: number, readings: string): Promise<number>;
  insightsDropInboxOf(...keys: string[]): Promise<number>;
}

interface InboxRecord {
  conversation: string;
  at: string;
  text: string;
  reason: InboxReason;
  /** JSON of the readings. */
  readings: string;
  status: InboxStatus;
  label: string | null;
  labelledBy: string | null;
}

const STATUSES: readonly InboxStatus[] = ['open', 'labelled', 'dismissed', 'imported'];

/** A time as a sorted-set score; ISO times compare like their milliseconds. */
function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not a time: ${JSON.stringify(iso)}`);
  return t;
}

export class RedisInsightsStore implements InsightsStore {
  private readonly redis: Redis & Scripts;
  private readonly k: ReturnType<typeof keys>;

  /** `prefix` is REDIS_KEY_PREFIX; the store's keys are `<prefix>insights:…`. */
  constructor(redis: Redis, prefix = '') {
    if (!redis) throw new TypeError('RedisInsightsStore needs a Redis client');
    const scripts: [string, number, string][] = [
      ['insightsAdd', 4, ADD],
      ['insightsAddInbox', 5, ADD],
      ['insightsAbandon', 4, ABANDON],
      ['insightsRate', 2, RATE],
      ['insightsComment', 1, COMMENT],
      ['insightsSetStatus', 5, SET_STATUS],
      ['insightsRephrased', 3, REPHRASED],
      ['insightsDropInboxOf', 7, DROP_INBOX_OF],
    ];
    for (const [name, numberOfKeys, lua] of scripts) {
      if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
    }
    this.redis = redis as Redis & Scripts;
    this.k = keys(`${prefix}insights:`);
  }

  async record(event: InsightEvent): Promise<void> {
    const at = event.at ?? nowIso();
    const json = JSON.stringify({ conversation: event.conversation, at, kind: event.kind, fix: event.fix ?? null, step: event.step ?? null });
    const { k } = this;
    await this.redis.insightsAdd(k.eventSeq, k.events, k.eventsByTime, k.eventsOf(event.conversation), json, ms(at));
  }

  async events(conversation: string): Promise<StoredEvent[]> {
    return this.eventsById(await this.redis.zrange(this.k.eventsOf(conversation), 0, -1));
  }

  async eventsIn(period: Period): Promise<StoredEvent[]> {
    const ids = await this.redis.zrangebyscore(this.k.eventsByTime, ms(period.since), `(${ms(period.until)}`);
    return (await this.eventsById(ids)).sort((a, b) => a.id - b.id);
  }

  async hasCsat(conversation: string): Promise<boolean> {
    return (await this.redis.hexists(this.k.ratings, conversation)) === 1;
  }

  async claimCsatQuestion(conversation: string, { by, at = nowIso() }: { by?: string; at?: string } = {}): Promise<boolean> {
    if ((await this.redis.insightsRate(this.k.asked, this.k.askedByTime, conversation, JSON.stringify({ at, by }), ms(at))) === 1) return true;
    if (by === undefined) return false;
    // Claimed already: by this very turn, run again? (A claim from before claimants were kept is a bare time.)
    const claimed = await this.redis.hget(this.k.asked, conversation);
    try {
      return (JSON.parse(claimed ?? 'null') as { by?: unknown } | null)?.by === by;
    } catch {
      return false;
    }
  }

  async recordCsat(answer: CsatAnswer): Promise<boolean> {
    checkScore(answer.score);
    const at = answer.at ?? nowIso();
    const row: CsatRow = { conversation: answer.conversation, at, score: answer.score, comment: answer.comment ? storedText(answer.comment) : null, after: answer.after };
    return (await this.redis.insightsRate(this.k.ratings, this.k.ratingsByTime, answer.conversation, JSON.stringify(row), ms(at))) === 1;
  }

  async commentCsat(conversation: string, comment: string): Promise<void> {
    await this.redis.insightsComment(this.k.ratings, conversation, storedText(comment), 'set');
  }

  async csatIn(period: Period): Promise<CsatRow[]> {
    const conversations = await this.redis.zrangebyscore(this.k.ratingsByTime, ms(period.since), `(${ms(period.until)}`);
    if (conversations.length === 0) return [];
    const rows = await this.redis.hmget(this.k.ratings, ...conversations);
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as CsatRow);
  }

  async addToInbox(item: { conversation: string; text: string; reason: InboxReason; readings: InboxItem['readings']; at?: string }): Promise<void> {
    const at = item.at ?? nowIso();
    const record: InboxRecord = {
      conversation: item.conversation,
      at,
      text: storedText(item.text),
      reason: item.reason,
      readings: JSON.stringify(storedReadings(item.readings)),
      status: 'open',
      label: null,
      labelledBy: null,
    };
    const { k } = this;
    await this.redis.insightsAddInbox(k.inboxSeq, k.inbox, k.inboxByTime, k.inboxOf(item.conversation), k.inboxStatus('open'), JSON.stringify(record), ms(at));
  }

  async markRephrased(conversation: string, readings: InboxItem['readings'], withinMs = 15 * 60_000, now = Date.now()): Promise<boolean> {
    return (await this.redis.insightsRephrased(this.k.inbox, this.k.inboxOf(conversation), this.k.inboxByTime, now - withinMs, JSON.stringify(storedReadings(readings)))) === 1;
  }

  async inbox(status: InboxStatus, limit = 200): Promise<InboxItem[]> {
    const ids = await this.redis.zrevrange(this.k.inboxStatus(status), 0, limit - 1);
    return this.inboxById(ids);
  }

  async inboxItem(id: number): Promise<InboxItem | undefined> {
    return (await this.inboxById([String(id)]))[0];
  }

  async review(id: number, verdict: { label: string; by: string } | 'dismiss'): Promise<boolean> {
    const [status, label, by] = verdict === 'dismiss' ? ['dismissed', '', ''] : ['labelled', verdict.label, verdict.by];
    return (await this.setStatus(id, status as InboxStatus, label, by, 'review')) === 1;
  }

  async markImported(ids: readonly number[]): Promise<void> {
    for (const id of ids) await this.setStatus(id, 'imported', '', '', 'any');
  }

  async markAbandoned(idleSince: string, at: string = nowIso(), activeSince = ''): Promise<number> {
    const { k } = this;
    const recent = await this.redis.zrangebyscore(k.eventsByTime, activeSince ? ms(activeSince) : '-inf', '+inf');
    const conversations = new Set((await this.eventsById(recent)).map((e) => e.conversation));
    let marked = 0;
    for (const conversation of conversations) {
      marked += await this.redis.insightsAbandon(k.eventSeq, k.events, k.eventsByTime, k.eventsOf(conversation), String(ms(idleSince)), at, String(ms(at)), ...IN_PROGRESS_KINDS);
    }
    return marked;
  }

  async deleteOlderThan(before: string): Promise<number> {
    const { k, redis } = this;
    const cutoff = `(${ms(before)}`;
    let n = 0;
    // Events and inbox items: each also leaves its conversation's set (and the inbox its status set).
    const events = await this.eventsById(await redis.zrangebyscore(k.eventsByTime, '-inf', cutoff));
    const items = await this.inboxById(await redis.zrangebyscore(k.inboxByTime, '-inf', cutoff));
    const ratings = await redis.zrangebyscore(k.ratingsByTime, '-inf', cutoff);
    const asked = await redis.zrangebyscore(k.askedByTime, '-inf', cutoff);
    const deletion = redis.multi();
    for (const e of events) deletion.hdel(k.events, String(e.id)).zrem(k.eventsByTime, String(e.id)).zrem(k.eventsOf(e.conversation), String(e.id));
    for (const i of items) {
      deletion.hdel(k.inbox, String(i.id)).zrem(k.inboxByTime, String(i.id)).zrem(k.inboxOf(i.conversation), String(i.id));
      for (const status of STATUSES) deletion.zrem(k.inboxStatus(status), String(i.id));
    }
    for (const c of ratings) deletion.hdel(k.ratings, c).zrem(k.ratingsByTime, c);
    // Questions asked last: not counted (SQLite's count leaves them out too).
    for (const c of asked) deletion.hdel(k.asked, c).zrem(k.askedByTime, c);
    const replies = (await deletion.exec()) ?? [];
    // Count what HDEL removed (another instance's pass may have got there first).
    let step = 0;
    const counted = [...events.map(() => 3), ...items.map(() => 3 + STATUSES.length), ...ratings.map(() => 2)];
    for (const size of counted) {
      const [error, removed] = replies[step] ?? [null, 0];
      if (error) throw error;
      n += Number(removed);
      step += size;
    }
    return n;
  }

  async deleteConversationText(conversation: string): Promise<number> {
    const { k } = this;
    const inbox = await this.redis.insightsDropInboxOf(k.inbox, k.inboxByTime, ...STATUSES.map((s) => k.inboxStatus(s)), k.inboxOf(conversation));
    const comment = await this.redis.insightsComment(k.ratings, conversation, '', 'clear');
    return inbox + comment;
  }

  private setStatus(id: number, status: InboxStatus, label: string, by: string, mode: 'review' | 'any'): Promise<number> {
    const { k } = this;
    return this.redis.insightsSetStatus(k.inbox, ...STATUSES.map((s) => k.inboxStatus(s)), String(id), status, label, by, mode);
  }

  private async eventsById(ids: string[]): Promise<StoredEvent[]> {
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(this.k.events, ...ids);
    const events: StoredEvent[] = [];
    rows.forEach((row, i) => {
      if (row !== null) events.push({ id: Number(ids[i]), ...(JSON.parse(row) as Omit<StoredEvent, 'id'>) });
    });
    return events;
  }

  private async inboxById(ids: string[]): Promise<InboxItem[]> {
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(this.k.inbox, ...ids);
    const items: InboxItem[] = [];
    rows.forEach((row, i) => {
      if (row === null) return;
      const r = JSON.parse(row) as InboxRecord;
      items.push({ id: Number(ids[i]), ...r, readings: JSON.parse(r.readings) as InboxItem['readings'] });
    });
    return items;
  }
}

function keys(base: string) {
  return {
    eventSeq: `${base}events:seq`,
    events: `${base}events`,
    eventsByTime: `${base}events:by-time`,
    eventsOf: (conversation: string) => `${base}events:of:${conversation}`,
    ratings: `${base}csat`,
    ratingsByTime: `${base}csat:by-time`,
    asked: `${base}csat:asked`,
    askedByTime: `${base}csat:asked:by-time`,
    inboxSeq: `${base}inbox:seq`,
    inbox: `${base}inbox`,
    inboxByTime: `${base}inbox:by-time`,
    inboxOf: (conversation: string) => `${base}inbox:of:${conversation}`,
    inboxStatus: (status: InboxStatus) => `${base}inbox:status:${status}`,
  };
}
