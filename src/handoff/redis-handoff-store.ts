import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { ConversationReference } from 'botbuilder-core';
import { redactStrings } from '../privacy/redact';
import { forgottenSummary } from './handoff-store';
import type { HandoffAuditEntry, HandoffRecord, HandoffStore, NewHandoff } from './handoff-store';
import type { HandoffNote, HandoffState, HandoffSummary } from './types';

/** How many acceptance waits are kept for the estimate (the desks ask for the last 20). */
const WAITS_KEPT = 200;
const LEFT_MESSAGES_SHOWN = 200;

/**
 * Moves a hand-off from one of ARGV[8..] to ARGV[2] in one step on the server,
 * keeping the queue and the agent's list in step.
 * KEYS: the record, the queue, the waits list. ARGV: id, state, at (ISO), at (ms),
 * agentId or '', agentName or '', the agents' key prefix, the states it may move from.
 */
const TRANSITION = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
local allowed = false
for i = 8, #ARGV do if ARGV[i] == state then allowed = true end end
if not allowed then return 0 end
local new = ARGV[2]
redis.call('HSET', KEYS[1], 'state', new)
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'agentId', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'agentName', ARGV[6]) end
local agent = redis.call('HGET', KEYS[1], 'agentId')
if new == 'waiting' then redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'seq'), ARGV[1]) else redis.call('ZREM', KEYS[2], ARGV[1]) end
if new == 'active' then
  redis.call('HSET', KEYS[1], 'acceptedAt', ARGV[3])
  local waited = tonumber(ARGV[4]) - tonumber(redis.call('HGET', KEYS[1], 'requestedMs'))
  if waited < 0 then waited = 0 end
  redis.call('LPUSH', KEYS[3], string.format('%d', waited))
  redis.call('LTRIM', KEYS[3], 0, ${WAITS_KEPT - 1})
  if agent then redis.call('ZADD', ARGV[7] .. agent, ARGV[4], ARGV[1]) end
elseif agent then
  redis.call('ZREM', ARGV[7] .. agent, ARGV[1])
end
if new ~= 'waiting' and new ~= 'active' then redis.call('HSET', KEYS[1], 'endedAt', ARGV[3]) end
return 1
`;

/** HSET of ARGV's field/value pairs, only on a record that exists (an UPDATE of no row changes nothing). */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

/** Sets toldPosition to ARGV[1] unless it already is that (or the record is gone): 1 when it changed. */
const CLAIM_POSITION = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'toldPosition') == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'toldPosition', ARGV[1])
return 1
`;

interface ScriptCommands {
  handoffTransition(...args: Array<string | number>): Promise<number>;
  handoffUpdate(...args: string[]): Promise<number>;
  handoffClaimPosition(key: string, position: string): Promise<number>;
}

export interface RedisHandoffStoreOptions {
  redis: Redis;
  /** REDIS_KEY_PREFIX; keys are `<prefix>handoff:…`. */
  prefix: string;
  now?: () => Date;
}

/**
 * The hand-off store in Redis, shared by every instance: each record a hash
 * (`handoff:h:<id>`), the queue a sorted set by creation order, indexes by
 * conversation and by agent, the last acceptance waits a list, notes and the
 * audit log a list per hand-off. Changes that must not race (a transition,
 * the told position) are Lua scripts; the agents' keys are named inside the
 * transition script, so this is for one Redis (or Valkey) server or a
 * primary with replicas, not Redis Cluster.
 */
export class RedisHandoffStore implements HandoffStore {
  private readonly redis: Redis & ScriptCommands;
  private readonly key: string;
  private readonly now: () => Date;

  constructor(options: RedisHandoffStoreOptions) {
    if (!options?.redis) throw new TypeError('RedisHandoffStore: options.redis (an ioredis client) is required');
    this.redis = options.redis as Redis & ScriptCommands;
    this.key = `${options.prefix ?? ''}handoff:`;
    this.now = options.now ?? (() => new Date());
    const scripts: Array<[keyof ScriptCommands, string, number]> = [
      ['handoffTransition', TRANSITION, 3],
      ['handoffUpdate', UPDATE, 1],
      ['handoffClaimPosition', CLAIM_POSITION, 1],
    ];
    for (const [name, lua, numberOfKeys] of scripts) {
      if (typeof (this.redis as unknown as Record<string, unknown>)[name] !== 'function') this.redis.defineCommand(name, { lua, numberOfKeys });
    }
  }

  async create(fields: NewHandoff): Promise<HandoffRecord> {
    const now = this.now();
    const record: HandoffRecord = { id: randomUUID(), state: 'waiting', requestedAt: now.toISOString(), ...fields };
    const seq = await this.redis.incr(`${this.key}seq`);
    await this.redis
      .multi()
      .hset(this.record(record.id), {
        id: record.id,
        seq,
        conversationId: record.conversationId,
        channelId: record.channelId,
        userName: record.userName,
        state: record.state,
        requestedAt: record.requestedAt,
        requestedMs: now.getTime(),
        summary: JSON.stringify(redactStrings(record.summary)),
        reference: JSON.stringify(record.reference),
      })
      .zadd(`${this.key}waiting`, seq, record.id)
      .zadd(this.conversation(record.conversationId), seq, record.id)
      .rpush(`${this.key}audit:${record.id}`, this.auditEntry('requested', 'user'))
      .exec();
    return record;
  }

  async forgetUserText(conversationId: string): Promise<number> {
    const ids = await this.redis.zrange(this.conversation(conversationId), 0, -1);
    let changed = 0;
    for (const id of ids) {
      const summary = await this.redis.hget(this.record(id), 'summary');
      if (summary === null) continue;
      await this.redis
        .multi()
        .hdel(this.record(id), 'leftMessage')
        .hset(this.record(id), 'summary', JSON.stringify(forgottenSummary(JSON.parse(summary) as HandoffSummary)))
        .zrem(`${this.key}left`, id)
        .exec();
      changed++;
    }
    return changed;
  }

  async get(id: string): Promise<HandoffRecord | undefined> {
    return fromHash(await this.redis.hgetall(this.record(id)));
  }

  async openFor(conversationId: string): Promise<HandoffRecord | undefined> {
    // Newest first; a conversation has few hand-offs, and only the latest can be open in practice.
    for (const id of await this.redis.zrevrange(this.conversation(conversationId), 0, -1)) {
      const state = await this.redis.hget(this.record(id), 'state');
      if (state === 'waiting' || state === 'active') return this.get(id);
    }
    return undefined;
  }

  async latestFor(conversationId: string): Promise<HandoffRecord | undefined> {
    const [id] = await this.redis.zrevrange(this.conversation(conversationId), 0, 0);
    return id === undefined ? undefined : this.get(id);
  }

  async waiting(): Promise<HandoffRecord[]> {
    return this.records(await this.redis.zrange(`${this.key}waiting`, 0, -1));
  }

  async activeFor(agentId: string): Promise<HandoffRecord[]> {
    const records = await this.records(await this.redis.zrange(`${this.key}agent:${agentId}`, 0, -1));
    return records.filter((r) => r.state === 'active' && r.agentId === agentId);
  }

  async withLeftMessages(): Promise<HandoffRecord[]> {
    const records = await this.records(await this.redis.zrevrange(`${this.key}left`, 0, LEFT_MESSAGES_SHOWN - 1));
    return records.filter((r) => r.leftMessage !== undefined);
  }

  async transition(id: string, from: readonly HandoffState[], state: HandoffState, patch: { agentId?: string; agentName?: string } = {}): Promise<boolean> {
    if (from.length === 0) return false;
    const at = this.now();
    const moved = await this.redis.handoffTransition(
      this.record(id),
      `${this.key}waiting`,
      `${this.key}waits`,
      id,
      state,
      at.toISOString(),
      at.getTime(),
      patch.agentId ?? '',
      patch.agentName ?? '',
      `${this.key}agent:`,
      ...from,
    );
    return moved === 1;
  }

  async setReference(id: string, reference: Partial<ConversationReference>): Promise<void> {
    await this.redis.handoffUpdate(this.record(id), 'reference', JSON.stringify(reference));
  }

  async setOutcome(id: string, outcome: string): Promise<void> {
    await this.redis.handoffUpdate(this.record(id), 'outcome', outcome);
  }

  async setLeftMessage(id: string, text: string): Promise<void> {
    if ((await this.redis.handoffUpdate(this.record(id), 'leftMessage', text)) !== 1) return;
    const seq = await this.redis.hget(this.record(id), 'seq');
    await this.redis.zadd(`${this.key}left`, Number(seq), id);
  }

  async claimToldPosition(id: string, position: number): Promise<boolean> {
    return (await this.redis.handoffClaimPosition(this.record(id), String(position))) === 1;
  }

  async addNote(handoffId: string, note: HandoffNote): Promise<void> {
    await this.redis.rpush(`${this.key}notes:${handoffId}`, JSON.stringify({ agent: note.agent, text: note.text, at: note.at }));
  }

  async notes(handoffId: string): Promise<HandoffNote[]> {
    return (await this.redis.lrange(`${this.key}notes:${handoffId}`, 0, -1)).map((n) => JSON.parse(n) as HandoffNote);
  }

  async audit(handoffId: string, event: string, actor: string, detail?: string): Promise<void> {
    await this.redis.rpush(`${this.key}audit:${handoffId}`, this.auditEntry(event, actor, detail));
  }

  async auditLog(handoffId: string): Promise<HandoffAuditEntry[]> {
    return (await this.redis.lrange(`${this.key}audit:${handoffId}`, 0, -1)).map((e) => JSON.parse(e) as HandoffAuditEntry);
  }

  async recentWaits(limit: number): Promise<number[]> {
    if (!(limit > 0)) return [];
    return (await this.redis.lrange(`${this.key}waits`, 0, limit - 1)).map((ms) => Number(ms) / 1000);
  }

  private record(id: string): string {
    return `${this.key}h:${id}`;
  }

  private conversation(conversationId: string): string {
    return `${this.key}conv:${conversationId}`;
  }

  private auditEntry(event: string, actor: string, detail?: string): string {
    return JSON.stringify({ event, actor, at: this.now().toISOString(), ...(detail !== undefined ? { detail } : {}) } satisfies HandoffAuditEntry);
  }

  /** The records of `ids` in that order (one round trip), skipping any that are gone. */
  private async records(ids: string[]): Promise<HandoffRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.record(id));
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, hash]) => {
      if (error) throw error;
      const record = fromHash(hash as Record<string, string>);
      return record ? [record] : [];
    });
  }
}

function fromHash(hash: Record<string, string>): HandoffRecord | undefined {
  if (!hash.id) return undefined;
  return {
    id: hash.id,
    conversationId: hash.conversationId ?? '',
    channelId: hash.channelId ?? '',
    userName: hash.userName ?? '',
    state: hash.state as HandoffState,
    requestedAt: hash.requestedAt ?? '',
    ...(hash.acceptedAt ? { acceptedAt: hash.acceptedAt } : {}),
    ...(hash.endedAt ? { endedAt: hash.endedAt } : {}),
    ...(hash.agentId ? { agentId: hash.agentId } : {}),
    ...(hash.agentName ? { agentName: hash.agentName } : {}),
    summary: JSON.parse(hash.summary ?? '{}') as HandoffSummary,
    reference: JSON.parse(hash.reference ?? '{}') as Partial<ConversationReference>,
    ...(hash.leftMessage !== undefined ? { leftMessage: hash.leftMessage } : {}),
    ...(hash.outcome !== undefined ? { outcome: hash.outcome } : {}),
    ...(hash.toldPosition !== undefined ? { toldPosition: Number(hash.toldPosition) } : {}),
  };
}
