import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type Redis from 'ioredis';
import { fromRecord, toRecord } from './store-item';
import type { ETagReader } from './store-item';

/**
 * Checks every key's eTag, then writes them all, in one step on the server:
 * either every item is written or none is (the same all-or-nothing as the
 * SQLite store's transaction). ARGV holds, per key: expected eTag ('' =
 * unconditional), JSON, new eTag; then the items' lifetime in ms (0 = for
 * ever). Returns 0, or the 1-based index of the first key whose stored eTag
 * differs.
 */
const WRITE_SCRIPT = `
for i, key in ipairs(KEYS) do
  local expected = ARGV[(i - 1) * 3 + 1]
  if expected ~= '' then
    local current = redis.call('HGET', key, 'etag')
    if current and current ~= expected then return i end
  end
end
local ttl = tonumber(ARGV[#KEYS * 3 + 1])
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'etag', ARGV[(i - 1) * 3 + 3], 'value', ARGV[(i - 1) * 3 + 2])
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
return 0
`;

export interface RedisStorageOptions {
  redis: Redis;
  /** Prefix of every key this store writes, so one Redis can serve several bots. */
  prefix?: string;
  /** How long an item outlives its last write (a conversation left alone); default: for ever. */
  ttlMs?: number;
}

/**
 * botbuilder `Storage` on Redis, with the same eTag semantics as the SQLite
 * store (MemoryStorage's): a write carrying an eTag other than '*' must match
 * the stored one, or the whole write call fails and nothing is written. Each
 * item is a hash {etag, value}. Several keys of one write go to one server
 * (one script), so with Redis Cluster they must share a hash slot.
 */
export class RedisStorage implements Storage, ETagReader {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(options: RedisStorageOptions) {
    if (!options?.redis) throw new TypeError('RedisStorage: options.redis (an ioredis client) is required');
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'bot:state:';
    this.ttlMs = options.ttlMs ?? 0;
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs >= 0)) throw new RangeError('RedisStorage: ttlMs must be a whole number of ms ≥ 0 (0 = for ever)');
    // One definition per client (EVALSHA, falling back to EVAL after a server restart flushed the script cache).
    if (typeof (this.redis as { writeItems?: unknown }).writeItems !== 'function') this.redis.defineCommand('writeItems', { lua: WRITE_SCRIPT });
  }

  async read(keys: string[]): Promise<StoreItems> {
    assertKeys(keys, 'read');
    const result: StoreItems = {};
    if (keys.length === 0) return result;
    const pipeline = this.redis.multi();
    for (const key of keys) pipeline.hmget(this.prefix + key, 'etag', 'value');
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const [error, fields] = replies[i] ?? [new Error('no reply')];
      if (error) throw error;
      const [etag, value] = fields as [string | null, string | null];
      if (etag !== null && value !== null) result[key] = fromRecord(value, etag);
    });
    return result;
  }

  async readETags(keys: string[]): Promise<Map<string, string>> {
    assertKeys(keys, 'readETags');
    const result = new Map<string, string>();
    if (keys.length === 0) return result;
    const pipeline = this.redis.multi();
    for (const key of keys) pipeline.hget(this.prefix + key, 'etag');
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const [error, etag] = replies[i] ?? [new Error('no reply')];
      if (error) throw error;
      if (typeof etag === 'string') result.set(key, etag);
    });
    return result;
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      throw new TypeError('RedisStorage.write: changes must be an object of items indexed by key.');
    }
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // Serialise everything first so a bad value cannot leave a half-done write.
    const prepared = entries.map(([key, item]) => ({ key, ...toRecord('RedisStorage', key, item) }));
    const args = [...prepared.flatMap((p) => [p.incomingETag ?? '', p.json, randomUUID()]), String(this.ttlMs)];
    const keys = prepared.map((p) => this.prefix + p.key);
    const conflict = (await (this.redis as unknown as WithWriteItems).writeItems(keys.length, ...keys, ...args)) as number;
    if (conflict > 0) throw new Error(`Storage: error writing "${prepared[conflict - 1]!.key}" due to eTag conflict.`);
  }

  async delete(keys: string[]): Promise<void> {
    assertKeys(keys, 'delete');
    if (keys.length === 0) return;
    await this.redis.del(...keys.map((k) => this.prefix + k));
  }
}

interface WithWriteItems {
  writeItems(numberOfKeys: number, ...args: string[]): Promise<unknown>;
}

function assertKeys(keys: string[], op: string): void {
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
    throw new TypeError(`RedisStorage.${op}: keys must be an array of strings.`);
  }
}
