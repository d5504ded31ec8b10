import type { Storage } from 'botbuilder-core';
import { jsonReadFor, readsETags, withJsonToWrite } from '../../src/storage/store-item';

const TEAMS_KEY = 'msteams/conversations/19:abc@thread.v2/';

/**
 * What every state store of the bot must do, whatever is behind it (SQLite,
 * Redis): botbuilder's Storage contract with MemoryStorage's eTag semantics.
 * `fresh()` gives an empty store for each test; `close()` releases it.
 */
export function describeStorageContract(fresh: () => Promise<Storage>, close: (storage: Storage) => Promise<void> | void = () => undefined): void {
  let storage: Storage;
  beforeEach(async () => {
    storage = await fresh();
  });
  afterEach(async () => {
    await close(storage);
  });

  describe('read and write', () => {
    it('round-trips objects, arrays, numbers and nested values as JSON, adding an eTag', async () => {
      const item = { count: 3, ratio: 0.5, tags: ['a', 'b'], nested: { deep: { ok: true, none: null } }, text: 'héllo' };
      await storage.write({ [TEAMS_KEY]: item });

      const read = await storage.read([TEAMS_KEY]);
      expect(read[TEAMS_KEY]).toEqual({ ...item, eTag: expect.any(String) });
    });

    it('round-trips top-level arrays and numbers unchanged (no eTag to carry)', async () => {
      await storage.write({ list: [1, { two: 2 }], num: 7, str: 'x', nul: null });
      expect(await storage.read(['list', 'num', 'str', 'nul'])).toEqual({ list: [1, { two: 2 }], num: 7, str: 'x', nul: null });
    });

    it('accepts any string as a key', async () => {
      const keys = [TEAMS_KEY, '', 'with space', "quote'\"", 'ünïcødé/🙂', 'a'.repeat(2000)];
      await storage.write(Object.fromEntries(keys.map((k, i) => [k, { i }])));
      const read = await storage.read(keys);
      expect(Object.keys(read).sort()).toEqual([...keys].sort());
      keys.forEach((k, i) => expect(read[k].i).toBe(i));
    });

    it('returns only the keys that exist', async () => {
      await storage.write({ present: { v: 1 } });
      expect(await storage.read(['missing', 'present', 'also-missing'])).toEqual({ present: { v: 1, eTag: expect.any(String) } });
      expect(await storage.read(['missing'])).toEqual({});
    });

    it('does not mutate the item passed to write', async () => {
      const item = { v: 1, eTag: '*' };
      await storage.write({ k: item });
      expect(item).toEqual({ v: 1, eTag: '*' });
    });

    it('treats read, write and delete of an empty key list as a no-op', async () => {
      await storage.write({ k: { v: 1 } });
      await expect(storage.read([])).resolves.toEqual({});
      await expect(storage.write({})).resolves.toBeUndefined();
      await expect(storage.delete([])).resolves.toBeUndefined();
      expect((await storage.read(['k'])).k.v).toBe(1);
    });

    it('rejects a value that cannot be stored as JSON without writing anything', async () => {
      const cyclic: Record<string, unknown> = { v: 1 };
      cyclic.self = cyclic;
      await expect(storage.write({ ok: { v: 1 }, bad: cyclic })).rejects.toThrow(/"bad" cannot be stored as JSON/);
      await expect(storage.write({ undef: undefined })).rejects.toThrow(/"undef" cannot be stored as JSON/);
      expect(await storage.read(['ok', 'bad', 'undef'])).toEqual({});
    });
  });

  describe('eTags', () => {
    it('assigns a new eTag on every successful write', async () => {
      await storage.write({ k: { v: 1 } });
      const first = (await storage.read(['k'])).k.eTag;
      await storage.write({ k: { v: 2, eTag: first } });
      const second = (await storage.read(['k'])).k.eTag;
      expect(typeof first).toBe('string');
      expect(second).not.toBe(first);
    });

    it('throws naming the key on an eTag conflict and leaves the stored value unchanged', async () => {
      await storage.write({ [TEAMS_KEY]: { v: 1 } });
      const before = (await storage.read([TEAMS_KEY]))[TEAMS_KEY];

      await expect(storage.write({ [TEAMS_KEY]: { v: 2, eTag: 'stale' } })).rejects.toThrow(
        `Storage: error writing "${TEAMS_KEY}" due to eTag conflict.`,
      );
      expect((await storage.read([TEAMS_KEY]))[TEAMS_KEY]).toEqual(before);
    });

    it("overwrites regardless of the stored eTag when the incoming eTag is '*'", async () => {
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2, eTag: '*' } });
      expect((await storage.read(['k'])).k.v).toBe(2);
    });

    it('overwrites when the incoming item has no eTag (like MemoryStorage)', async () => {
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2 } });
      expect((await storage.read(['k'])).k.v).toBe(2);
    });

    it('accepts an eTag on a key that does not exist yet (like MemoryStorage)', async () => {
      await storage.write({ k: { v: 1, eTag: 'anything' } });
      expect((await storage.read(['k'])).k).toEqual({ v: 1, eTag: expect.not.stringMatching(/^anything$/) });
    });

    it('writes nothing from a multi-key write when one key has an eTag conflict', async () => {
      await storage.write({ a: { v: 'a1' }, b: { v: 'b1' } });
      const before = await storage.read(['a', 'b']);

      await expect(
        storage.write({
          a: { v: 'a2', eTag: before.a.eTag }, // valid on its own
          c: { v: 'c2' }, // new key
          b: { v: 'b2', eTag: 'stale' }, // conflict
        }),
      ).rejects.toThrow('Storage: error writing "b" due to eTag conflict.');

      expect(await storage.read(['a', 'b', 'c'])).toEqual(before);
    });
  });

  describe('JSON made once (src/storage/store-item.ts)', () => {
    it('an item read comes with the JSON it was read from, which is what a change check compares', async () => {
      await storage.write({ k: { b: [1, 'two'], a: { nested: true } } });
      const item = (await storage.read(['k'])).k;
      const { eTag: _eTag, ...value } = item;
      expect(jsonReadFor(item)).toBe(JSON.stringify(value));
      expect(JSON.stringify(item)).not.toContain('jsonRead');
    });

    it('an item read, changed and written back is written as it is now, not as it was read', async () => {
      await storage.write({ k: { v: 1 } });
      const item = (await storage.read(['k'])).k;
      item.v = 2;
      await storage.write({ k: item });
      expect((await storage.read(['k'])).k.v).toBe(2);
    });

    it('takes the JSON a writer hands over with an item as the item (the writer vouches for it)', async () => {
      await storage.write({ k: withJsonToWrite({ v: 1 }, '{"v":1,"from":"writer"}') });
      expect((await storage.read(['k'])).k).toMatchObject({ v: 1, from: 'writer' });
    });
  });

  describe('readETags', () => {
    it('tells the eTag read() would, for the keys that exist, without the values', async () => {
      expect(readsETags(storage)).toBe(true);
      if (!readsETags(storage)) return;
      await storage.write({ a: { v: 1 }, ['__proto__']: { v: 2 }, [TEAMS_KEY]: [1, 2] });
      const items = await storage.read(['a', '__proto__', TEAMS_KEY, 'missing']);
      const eTags = await storage.readETags(['a', '__proto__', TEAMS_KEY, 'missing']);
      expect([...eTags.keys()].sort()).toEqual(['__proto__', 'a', TEAMS_KEY].sort());
      expect(eTags.get('a')).toBe(items.a.eTag);
      expect(eTags.get('__proto__')).toEqual(expect.any(String));
      await storage.write({ a: { v: 3 } });
      expect((await storage.readETags(['a'])).get('a')).not.toBe(items.a.eTag);
      expect((await storage.readETags([])).size).toBe(0);
    });
  });

  describe('delete', () => {
    it('removes the given keys, ignores missing ones and keeps the rest', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 }, c: { v: 3 } });
      await storage.delete(['a', 'c', 'never-written']);
      expect(await storage.read(['a', 'b', 'c'])).toEqual({ b: { v: 2, eTag: expect.any(String) } });
    });

    it('lets a deleted key be written again with any eTag', async () => {
      await storage.write({ k: { v: 1 } });
      const { eTag } = (await storage.read(['k'])).k;
      await storage.delete(['k']);
      await storage.write({ k: { v: 2, eTag } });
      expect((await storage.read(['k'])).k.v).toBe(2);
    });
  });
}
