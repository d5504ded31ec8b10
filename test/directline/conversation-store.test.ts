import { createConversationStore } from '../../src/channels/directline/conversation-store';
import type { ActivitySet, ConversationStoreOptions } from '../../src/channels/directline/conversation-store';

const KiB = 1024;
const roomy: ConversationStoreOptions = { maxConversations: 100, maxActivities: 1000, maxBytes: 1024 * KiB, maxTotalBytes: 64 * 1024 * KiB };

/** A message whose JSON is about `bytes` long. */
const sized = (bytes: number, text = 'x') => ({ type: 'message', text: text.repeat(Math.ceil(bytes / Buffer.byteLength(text))) });

describe('per conversation', () => {
  it('keeps at most maxBytes of activity JSON, dropping the oldest; watermarks keep counting', () => {
    const store = createConversationStore({ ...roomy, maxBytes: 10 * KiB });
    store.create('c', 'u');
    for (let i = 0; i < 50; i += 1) store.append('c', sized(KiB));
    const { activities, watermark } = store.after('c', undefined);
    expect(watermark).toBe('49');
    const held = activities.reduce((sum, a) => sum + Buffer.byteLength(JSON.stringify(a)), 0);
    expect(held).toBeLessThanOrEqual(10 * KiB);
    expect(store.bytes()).toBe(held);
    expect(activities.length).toBeGreaterThanOrEqual(8);
    expect(activities.at(-1)!.id).toBe('c|0000049');
  });

  it('counts bytes, not characters: text outside ASCII costs what it weighs in UTF-8', () => {
    const store = createConversationStore({ ...roomy, maxBytes: 10 * KiB });
    store.create('c', 'u');
    for (let i = 0; i < 50; i += 1) store.append('c', sized(KiB, '💬'));
    expect(store.bytes()).toBeLessThanOrEqual(10 * KiB);
    expect(store.after('c', undefined).activities.length).toBeLessThan(10);
  });

  it('keeps at most maxActivities as well', () => {
    const store = createConversationStore({ ...roomy, maxActivities: 3 });
    store.create('c', 'u');
    for (let i = 0; i < 10; i += 1) store.append('c', { type: 'message', text: String(i) });
    expect(store.after('c', undefined).activities.map((a) => a.text)).toEqual(['7', '8', '9']);
  });

  it('always keeps the newest activity, even one over the budget', () => {
    const store = createConversationStore({ ...roomy, maxBytes: KiB });
    store.create('c', 'u');
    store.append('c', sized(100));
    store.append('c', sized(2 * KiB));
    expect(store.after('c', undefined).activities).toHaveLength(1);
  });

  it('replays only what came after a watermark, and hands out copies nobody can change the log through', () => {
    const store = createConversationStore(roomy);
    store.create('c', 'u');
    for (const text of ['a', 'b', 'c']) store.append('c', { type: 'message', text });
    const replay = store.after('c', '0');
    expect(replay.activities.map((a) => a.text)).toEqual(['b', 'c']);
    replay.activities[0]!.text = 'changed';
    expect(store.after('c', '0').activities[0]!.text).toBe('b');
    expect(store.after('c', 'garbage').activities).toHaveLength(3);
    expect(store.after('c', '9'.repeat(400)).activities).toHaveLength(3);
  });
});

describe('all conversations', () => {
  it('never holds more than maxTotalBytes: the least recently used go first', () => {
    const store = createConversationStore({ ...roomy, maxBytes: 8 * KiB, maxTotalBytes: 32 * KiB });
    let peak = 0;
    for (let c = 0; c < 40; c += 1) {
      store.create(`c${c}`, 'u');
      for (let i = 0; i < 6; i += 1) {
        store.append(`c${c}`, sized(KiB));
        peak = Math.max(peak, store.bytes());
      }
    }
    expect(peak).toBeLessThanOrEqual(32 * KiB);
    expect(store.get('c39')).toBeDefined();
    expect(store.get('c0')).toBeUndefined();
    expect(store.evicted('c0')).toBe(5);
  });

  it('evicts the least recently used beyond maxConversations, telling its listeners', () => {
    const store = createConversationStore({ ...roomy, maxConversations: 2 });
    const heard = new Map<string, Array<ActivitySet | null>>();
    const watch = (id: string) => {
      store.create(id, 'u');
      heard.set(id, []);
      store.subscribe(id, (set) => heard.get(id)!.push(set));
    };
    watch('a');
    watch('b');
    store.get('a');
    watch('c');
    expect(store.get('b')).toBeUndefined();
    expect(heard.get('b')).toEqual([null]);
    expect(store.get('a')).toBeDefined();
    expect(heard.get('a')).toEqual([]);
  });

  it('prefers conversations nobody is watching, and never evicts one with a turn in progress', () => {
    const store = createConversationStore({ ...roomy, maxConversations: 3 });
    store.create('held', 'u');
    const release = store.hold('held');
    store.create('watched', 'u');
    store.subscribe('watched', () => undefined);
    store.create('idle', 'u');
    store.create('new1', 'u');
    // 'watched' is older, but somebody is looking at it.
    expect(store.get('idle')).toBeUndefined();
    store.create('new2', 'u');
    expect(store.get('new1')).toBeUndefined();
    expect(store.get('watched')).toBeDefined();
    store.subscribe('new2', () => undefined);
    store.create('new3', 'u');
    expect(store.get('watched')).toBeUndefined();
    expect(store.get('held')).toBeDefined();
    release();
    store.subscribe('new3', () => undefined);
    store.create('new4', 'u');
    expect(store.get('held')).toBeUndefined();
  });

  it('refuses a new conversation (undefined) when every other has a turn in progress', () => {
    const store = createConversationStore({ ...roomy, maxConversations: 2 });
    for (const id of ['a', 'b']) {
      store.create(id, 'u');
      store.hold(id);
    }
    expect(store.create('c', 'u')).toBeUndefined();
    expect(store.size()).toBe(2);
  });

  it('remembers evicted ids (bounded), and a re-created conversation numbers on from what the client saw', () => {
    const store = createConversationStore({ ...roomy, maxConversations: 1, maxRemembered: 2 });
    store.create('a', 'u');
    store.append('a', { type: 'message' });
    store.append('a', { type: 'message' });
    for (const id of ['b', 'c', 'd']) store.create(id, 'u');
    expect(store.evicted('a')).toBeUndefined();
    expect(store.evicted('b')).toBe(-1);
    store.create('c', 'u', 12);
    expect(store.evicted('c')).toBeUndefined();
    expect(store.append('c', { type: 'message' }).id).toBe('c|0000013');
  });
});
