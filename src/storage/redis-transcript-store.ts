import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder-core';
import type Redis from 'ioredis';
import { reviveActivity, TRANSCRIPT_PAGE as PAGE, transcriptLine } from './transcript-archive';
import type { TranscriptArchive } from './transcript-archive';

/** KEYS: seq, lines, by-time, of the conversation, conversations of the channel; ARGV: line json, time ms, conversation id. */
const LOG = `
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], seq, ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], seq)
redis.call('ZADD', KEYS[4], seq, seq)
redis.call('ZADD', KEYS[5], 0, ARGV[3])
return seq
`;

interface Line {
  channelId: string;
  conversationId: string;
  at: string;
  /** The activity as kept (redacted), JSON. */
  json: string;
}

interface Scripts {
  transcriptLog(seq: string, lines: string, byTime: string, of: string, conversations: string, line: string, ms: number, conversationId: string): Promise<number>;
}

/**
 * The transcripts in Redis, shared by every instance (REDIS_URL), under
 * `<prefix>transcripts:`: each kept activity is a line (a hash of JSON by a
 * sequence number, as the SQLite store's rows), with sorted sets by time
 * (retention), by conversation (its pages, continuation tokens being the
 * sequence, as in SQLite) and each channel's conversation ids (listed in
 * byte order, as SQLite compares them). Kept exactly as the SQLite store
 * keeps them: the same redaction, no traces.
 */
export class RedisTranscriptStore implements TranscriptArchive {
  private readonly redis: Redis & Scripts;
  private readonly base: string;

  /** `prefix` is REDIS_KEY_PREFIX. */
  constructor(redis: Redis, prefix = '') {
    if (!redis) throw new TypeError('RedisTranscriptStore needs a Redis client');
    if (typeof (redis as unknown as Record<string, unknown>).transcriptLog !== 'function') redis.defineCommand('transcriptLog', { numberOfKeys: 5, lua: LOG });
    this.redis = redis as Redis & Scripts;
    this.base = `${prefix}transcripts:`;
  }

  async logActivity(activity: Activity): Promise<void> {
    const line = transcriptLine(activity, 'RedisTranscriptStore');
    if (!line) return;
    const b = this.base;
    await this.redis.transcriptLog(`${b}seq`, `${b}lines`, `${b}by-time`, this.of(line.conversationId), this.conversations(line.channelId), JSON.stringify(line), Date.parse(line.at), line.conversationId);
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    const after = Number(continuationToken ?? 0) || 0;
    const since = startDate ? startDate.toISOString() : '';
    const lines = (await this.linesOf(conversationId, `(${after}`)).filter(([, l]) => l.channelId === channelId && l.at >= since);
    const page = lines.slice(0, PAGE);
    return { items: page.map(([, l]) => reviveActivity(l.json)), continuationToken: lines.length > PAGE ? String(page[page.length - 1]![0]) : '' };
  }

  async activities(conversationId: string): Promise<Activity[]> {
    return (await this.linesOf(conversationId)).map(([, l]) => reviveActivity(l.json));
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const ids = await this.redis.zrangebylex(this.conversations(channelId), continuationToken ? `(${continuationToken}` : '-', '+', 'LIMIT', 0, PAGE + 1);
    const items: TranscriptInfo[] = [];
    for (const id of ids.slice(0, PAGE)) {
      const ats = (await this.linesOf(id)).filter(([, l]) => l.channelId === channelId).map(([, l]) => l.at);
      // The channel's lines of it are gone (deleted meanwhile): MIN over none, as SQLite would not list it.
      if (ats.length > 0) items.push({ channelId, id, created: new Date(ats.reduce((a, b) => (b < a ? b : a))) });
    }
    return { items, continuationToken: ids.length > PAGE ? ids[PAGE - 1]! : '' };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    const lines = (await this.linesOf(conversationId)).filter(([, l]) => l.channelId === channelId);
    await this.drop(lines);
  }

  async deleteOlderThan(beforeIso: string): Promise<number> {
    const seqs = await this.redis.zrangebyscore(`${this.base}by-time`, '-inf', `(${Date.parse(beforeIso)}`);
    return this.drop(await this.lines(seqs));
  }

  /** Deletes these lines; a conversation left with no line of a channel leaves that channel's list. Resolves to how many were deleted. */
  private async drop(lines: [number, Line][]): Promise<number> {
    if (lines.length === 0) return 0;
    const b = this.base;
    const deletion = this.redis.multi();
    for (const [seq, l] of lines) deletion.hdel(`${b}lines`, String(seq)).zrem(`${b}by-time`, String(seq)).zrem(this.of(l.conversationId), String(seq));
    const replies = (await deletion.exec()) ?? [];
    let deleted = 0;
    for (let i = 0; i < replies.length; i += 3) {
      const [error, removed] = replies[i]!;
      if (error) throw error;
      deleted += Number(removed);
    }
    const touched = new Map(lines.map(([, l]) => [`${l.channelId}\n${l.conversationId}`, l]));
    for (const l of touched.values()) {
      if (!(await this.linesOf(l.conversationId)).some(([, left]) => left.channelId === l.channelId)) await this.redis.zrem(this.conversations(l.channelId), l.conversationId);
    }
    return deleted;
  }

  /** A conversation's lines after sequence `from` (a ZRANGEBYSCORE bound), in order. */
  private async linesOf(conversationId: string, from: string | number = '-inf'): Promise<[number, Line][]> {
    return this.lines(await this.redis.zrangebyscore(this.of(conversationId), from, '+inf'));
  }

  private async lines(seqs: string[]): Promise<[number, Line][]> {
    if (seqs.length === 0) return [];
    const rows = await this.redis.hmget(`${this.base}lines`, ...seqs);
    const lines: [number, Line][] = [];
    rows.forEach((row, i) => {
      if (row !== null) lines.push([Number(seqs[i]), JSON.parse(row) as Line]);
    });
    return lines;
  }

  private of(conversationId: string): string {
    return `${this.base}of:${conversationId}`;
  }

  private conversations(channelId: string): string {
    return `${this.base}conversations:${channelId}`;
  }
}
