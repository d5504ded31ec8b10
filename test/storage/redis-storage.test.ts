import { RedisStorage } from '../../src/storage/redis-storage';
import { useTestRedis } from '../support/redis-server';
import { describeStorageContract } from './storage-contract';

describe('RedisStorage (a real redis-server of its own)', () => {
  const { client, freshPrefix } = useTestRedis();

  describe('the storage contract', () => {
    // Each test gets its own prefix: an empty store without flushing the server.
    describeStorageContract(async () => new RedisStorage({ redis: client(), prefix: freshPrefix() }));
  });

  it('shows a second client (another bot instance) what the first wrote, and enforces eTags between them', async () => {
    const a = new RedisStorage({ redis: client(), prefix: 'shared:' });
    const b = new RedisStorage({ redis: client(), prefix: 'shared:' });
    await a.write({ k: { v: 1 } });
    const seenByB = (await b.read(['k'])).k;
    expect(seenByB).toEqual({ v: 1, eTag: expect.any(String) });
    await a.write({ k: { v: 2, eTag: seenByB.eTag } });
    await expect(b.write({ k: { v: 3, eTag: seenByB.eTag } })).rejects.toThrow('Storage: error writing "k" due to eTag conflict.');
    expect((await b.read(['k'])).k.v).toBe(2);
  });

  it('keeps the keys of stores with different prefixes apart', async () => {
    const a = new RedisStorage({ redis: client(), prefix: 'bot-a:' });
    const b = new RedisStorage({ redis: client(), prefix: 'bot-b:' });
    await a.write({ k: { v: 'a' } });
    expect(await b.read(['k'])).toEqual({});
  });

  it('lets items expire a set time after their last write, when asked to', async () => {
    const redis = client();
    const a = new RedisStorage({ redis, prefix: 'ttl:', ttlMs: 60_000 });
    await a.write({ k: { v: 1 } });
    const ttl = await redis.pttl('ttl:k');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await new RedisStorage({ redis, prefix: 'forever:' }).write({ k: { v: 1 } });
    expect(await redis.pttl('forever:k')).toBe(-1);
    expect(() => new RedisStorage({ redis, ttlMs: -1 })).toThrow(/ttlMs/);
  });

  it('refuses to be built without a client', () => {
    expect(() => new RedisStorage({} as never)).toThrow(/options\.redis/);
  });
});
