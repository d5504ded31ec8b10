import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { ChatwootLink, ChatwootOutbox, OutboxItem, OutboxKind } from './outbox';

/** How long one instance may deliver a hand-off's items before another may take over (it died mid-way). */
const HOLD_MS = 60_000;
/** Message ids already relayed are remembered this long (Chatwoot retries within minutes). */
const SEEN_SECONDS = 86_400;

/** Takes an item out of the outbox, and the hand-off out of the pending index when it was its last (one step, so an add in between is not lost). */
const DELIVERED = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('ZREM', KEYS[4], ARGV[2]) end
return 1
`;

/** Lets go of a hold only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface ScriptCommands {
  chatwootDelivered(...args: string[]): Promise<number>;
  chatwootRelease(key: string, token: string): Promise<number>;
}

/**
 * The Chatwoot outbox in Redis (`<prefix>handoff:cw:…`), shared by every
 * instance: each hand-off's items a sorted set by a global sequence (their
 * contents and attempts in two hashes), an index of hand-offs with something
 * pending, the links both ways, a hold per hand-off (SET NX with a lease) so
 * one instance at a time delivers its items in order, and the relayed
 * message ids (SET NX with a day's expiry) so a webhook retried to another
 * instance is relayed once.
 */
export class RedisChatwootOutbox implements ChatwootOutbox {
  private readonly redis: Redis & ScriptCommands;
  private readonly key: string;

  constructor(redis: Redis, prefix: string) {
    if (!redis) throw new TypeError('RedisChatwootOutbox needs an ioredis client');
    this.redis = redis as Redis & ScriptCommands;
    this.key = `${prefix}handoff:cw:`;
    if (typeof (this.redis as unknown as Record<string, unknown>).chatwootDelivered !== 'function') this.redis.defineCommand('chatwootDelivered', { lua: DELIVERED, numberOfKeys: 4 });
    if (typeof (this.redis as unknown as Record<string, unknown>).chatwootRelease !== 'function') this.redis.defineCommand('chatwootRelease', { lua: RELEASE, numberOfKeys: 1 });
  }

  async add(handoffId: string, kind: OutboxKind, content: string): Promise<void> {
    const seq = await this.redis.incr(`${this.key}seq`);
    await this.redis
      .multi()
      .hset(`${this.key}item`, String(seq), JSON.stringify({ handoffId, kind, content }))
      .zadd(this.items(handoffId), seq, String(seq))
      .zadd(`${this.key}pending`, 'NX', seq, handoffId)
      .exec();
  }

  async pending(handoffId: string): Promise<OutboxItem[]> {
    const seqs = await this.redis.zrange(this.items(handoffId), 0, -1);
    if (seqs.length === 0) return [];
    const [contents, attempts] = await Promise.all([this.redis.hmget(`${this.key}item`, ...seqs), this.redis.hmget(`${this.key}attempts`, ...seqs)]);
    return seqs.flatMap((seq, i) => {
      const stored = contents[i];
      if (!stored) return [];
      const { kind, content } = JSON.parse(stored) as { kind: OutboxKind; content: string };
      return [{ seq: Number(seq), handoffId, kind, content, attempts: Number(attempts[i] ?? 0) }];
    });
  }

  async withPending(): Promise<string[]> {
    return this.redis.zrange(`${this.key}pending`, 0, -1);
  }

  async delivered(item: OutboxItem): Promise<void> {
    await this.redis.chatwootDelivered(this.items(item.handoffId), `${this.key}item`, `${this.key}attempts`, `${this.key}pending`, String(item.seq), item.handoffId);
  }

  async failed(item: OutboxItem): Promise<void> {
    await this.redis.hincrby(`${this.key}attempts`, String(item.seq), 1);
  }

  async link(handoffId: string): Promise<ChatwootLink> {
    const [contactId, conversationId] = await this.redis.hmget(`${this.key}link:${handoffId}`, 'contactId', 'conversationId');
    return { handoffId, ...(contactId ? { contactId: Number(contactId) } : {}), ...(conversationId ? { conversationId: Number(conversationId) } : {}) };
  }

  async setContact(handoffId: string, contactId: number): Promise<void> {
    await this.redis.hset(`${this.key}link:${handoffId}`, 'contactId', contactId);
  }

  async setConversation(handoffId: string, conversationId: number): Promise<void> {
    await this.redis.multi().hset(`${this.key}link:${handoffId}`, 'conversationId', conversationId).hset(`${this.key}conversation`, String(conversationId), handoffId).exec();
  }

  async handoffFor(conversationId: number): Promise<string | undefined> {
    return (await this.redis.hget(`${this.key}conversation`, String(conversationId))) ?? undefined;
  }

  async hold(handoffId: string, waitMs: number): Promise<(() => Promise<void>) | undefined> {
    const key = `${this.key}hold:${handoffId}`;
    const token = randomBytes(12).toString('hex');
    const until = Date.now() + waitMs;
    for (;;) {
      if ((await this.redis.set(key, token, 'PX', HOLD_MS, 'NX')) === 'OK') {
        return async () => void (await this.redis.chatwootRelease(key, token));
      }
      if (Date.now() >= until) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async firstSight(messageId: number): Promise<boolean> {
    return (await this.redis.set(`${this.key}seen:${messageId}`, '1', 'EX', SEEN_SECONDS, 'NX')) === 'OK';
  }

  private items(handoffId: string): string {
    return `${this.key}out:${handoffId}`;
  }
}
