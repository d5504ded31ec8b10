import type { ActivitySet } from '../../src/channels/directline/conversation-log';
import type { DirectLineStore } from '../../src/channels/directline/directline-store';
import { waitFor } from './harness';

/** Two handles on one store: two instances for Redis, the same object twice in memory (one process). */
export interface StorePair {
  a: DirectLineStore;
  b: DirectLineStore;
}

/** The limits every store of the contract is built with. */
export const CONTRACT_LIMITS = { maxActivities: 5, maxBytes: 4 * 1024 };

const texts = (set: ActivitySet) => set.activities.map((a) => a.text);

/**
 * What every Direct Line store must do, in memory or in Redis: numbering and
 * watermarks, per-conversation caps, continuing past a client's watermark,
 * and watchers that get everything once and in order, wherever it was appended.
 * `fresh()` gives a pair with no conversations; `close()` releases it.
 */
export function describeDirectLineStoreContract(fresh: () => Promise<StorePair>, close: (pair: StorePair) => Promise<void> | void = () => undefined): void {
  let a: DirectLineStore;
  let b: DirectLineStore;
  let pair: StorePair;
  beforeEach(async () => {
    pair = await fresh();
    ({ a, b } = pair);
  });
  afterEach(async () => {
    await close(pair);
  });

  describe('conversations', () => {
    it('creates a conversation once: the second create returns the first user, not fresh', async () => {
      await expect(a.get('c')).resolves.toBeUndefined();
      await expect(a.create('c', 'u1')).resolves.toEqual({ id: 'c', userId: 'u1', fresh: true });
      await expect(b.create('c', 'u2')).resolves.toEqual({ id: 'c', userId: 'u1', fresh: false });
      await expect(b.get('c')).resolves.toEqual(expect.objectContaining({ id: 'c', userId: 'u1' }));
    });

    it('lets exactly one of two simultaneous creates be fresh', async () => {
      const both = await Promise.all([a.create('race', 'u'), b.create('race', 'u')]);
      expect(both.filter((c) => c?.fresh)).toHaveLength(1);
    });

    it('remembers nothing as evicted for a live or never seen conversation', async () => {
      await a.create('c', 'u');
      await expect(a.evicted('c')).resolves.toBeUndefined();
      await expect(a.evicted('never')).resolves.toBeUndefined();
    });

    it('remembers a refused start until the conversation is created, on every instance', async () => {
      await expect(a.startRefused('c')).resolves.toBe(false);
      await a.refuseStart('c');
      await expect(b.startRefused('c')).resolves.toBe(true);
      await b.create('c', 'u');
      await expect(a.startRefused('c')).resolves.toBe(false);
    });

    it('refuses to append to a conversation it does not hold', async () => {
      await expect(a.append('nobody', { type: 'message' })).rejects.toThrow();
    });
  });

  describe('the log', () => {
    it('numbers activities for Direct Line ids and watermarks, the same seen from either instance', async () => {
      await a.create('c', 'u');
      const first = await a.append('c', { type: 'message', text: 'a' });
      const second = await b.append('c', { type: 'message', text: 'b' });
      expect([first.id, second.id]).toEqual(['c|0000000', 'c|0000001']);
      expect(first).toEqual({ type: 'message', text: 'a', id: 'c|0000000' });
      for (const store of [a, b]) {
        expect(await store.after('c', undefined)).toEqual({ activities: [first, second], watermark: '1' });
        expect(await store.after('c', '0')).toEqual({ activities: [second], watermark: '1' });
        expect(await store.after('c', '1')).toEqual({ activities: [], watermark: '1' });
      }
    });

    it('answers an empty watermark before anything is logged, and reads a bad watermark as none', async () => {
      await a.create('c', 'u');
      expect(await a.after('c', undefined)).toEqual({ activities: [], watermark: '' });
      await a.append('c', { type: 'message', text: 'a' });
      expect(texts(await a.after('c', 'garbage'))).toEqual(['a']);
      expect(texts(await a.after('c', '9'.repeat(400)))).toEqual(['a']);
      // A client that claims more than there is keeps its watermark.
      expect(await a.after('c', '7')).toEqual({ activities: [], watermark: '7' });
    });

    it(`keeps at most ${CONTRACT_LIMITS.maxActivities} activities, dropping the oldest; watermarks keep counting`, async () => {
      await a.create('c', 'u');
      for (let i = 0; i < 12; i += 1) await (i % 2 ? a : b).append('c', { type: 'message', text: String(i) });
      const set = await b.after('c', undefined);
      expect(texts(set)).toEqual(['7', '8', '9', '10', '11']);
      expect(set.watermark).toBe('11');
    });

    it('keeps at most maxBytes of activity JSON, but always the newest', async () => {
      await a.create('c', 'u');
      for (let i = 0; i < 5; i += 1) await a.append('c', { type: 'message', text: 'x'.repeat(1500) });
      const held = (await a.after('c', undefined)).activities;
      expect(held.reduce((sum, x) => sum + Buffer.byteLength(JSON.stringify(x)), 0)).toBeLessThanOrEqual(CONTRACT_LIMITS.maxBytes);
      expect(held.length).toBeGreaterThanOrEqual(2);
      await a.append('c', { type: 'message', text: 'y'.repeat(6000) });
      expect((await a.after('c', undefined)).activities.map((x) => x.id)).toEqual(['c|0000005']);
    });

    it('numbers a re-created conversation on from what the client saw', async () => {
      await a.create('c', 'u', 12);
      expect((await b.append('c', { type: 'message' })).id).toBe('c|0000013');
    });

    it('hands out copies nobody can change the log through', async () => {
      await a.create('c', 'u');
      const appended = await a.append('c', { type: 'message', text: 'a' });
      appended.text = 'changed';
      (await a.after('c', undefined)).activities[0]!.text = 'changed too';
      expect(texts(await a.after('c', undefined))).toEqual(['a']);
    });
  });

  describe('watching', () => {
    it('replays what came after the watermark, then each new activity once and in order, wherever it was appended', async () => {
      await a.create('c', 'u');
      for (const text of ['0', '1', '2']) await a.append('c', { type: 'message', text });
      const heard: Array<ActivitySet | null> = [];
      const stop = await a.watch('c', '0', (set) => heard.push(set));
      expect(heard).toEqual([{ activities: [expect.objectContaining({ text: '1' }), expect.objectContaining({ text: '2' })], watermark: '2' }]);
      for (let i = 3; i < 9; i += 1) await (i % 2 ? b : a).append('c', { type: 'message', text: String(i) });
      const all = () => heard.flatMap((set) => set?.activities.map((x) => x.text) ?? []);
      await waitFor('every activity', () => all().length >= 8);
      await new Promise((r) => setTimeout(r, 100));
      expect(all()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
      expect(heard.at(-1)!.watermark).toBe('8');
      stop();
      await b.append('c', { type: 'message', text: 'after' });
      await new Promise((r) => setTimeout(r, 100));
      expect(all()).not.toContain('after');
    });

    it('starts a watcher with an empty set when nothing came after its watermark, and tells watchers of other conversations nothing', async () => {
      await a.create('c', 'u');
      await a.create('other', 'u');
      const heard: Array<ActivitySet | null> = [];
      const stop = await b.watch('c', undefined, (set) => heard.push(set));
      expect(heard).toEqual([{ activities: [], watermark: '' }]);
      await a.append('other', { type: 'message' });
      await a.append('c', { type: 'message', text: 'mine' });
      await waitFor('the activity', () => heard.length >= 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(heard.slice(1)).toEqual([{ activities: [expect.objectContaining({ text: 'mine', id: 'c|0000000' })], watermark: '0' }]);
      stop();
    });
  });
}
