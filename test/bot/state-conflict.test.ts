import Redis from 'ioredis';
import { TurnContext } from 'botbuilder-core';
import type { Activity, Storage, StoreItems } from 'botbuilder-core';
import { MemoryStorage, TestAdapter } from 'botbuilder-core';
import { GuardedConversationState, StateConflictError } from '../../src/bot/guarded-state';
import { SqliteStorage } from '../../src/storage';
import type { ETagReader } from '../../src/storage/store-item';
import { RedisStorage } from '../../src/storage/redis-storage';
import { closeClients, startRedis } from '../support/redis-server';
import type { RunningRedis } from '../support/redis-server';
import { TestConversation } from '../support/test-bot';
import Database from 'better-sqlite3';
import { createInsightsRecorder } from '../../src/insights/recorder';
import { SqliteInsightsStore } from '../../src/insights/sqlite-insights-store';
import { messagesText } from '../integration/harness';

const text = messagesText();

/**
 * A store of the bot's that lets the test act as a second bot instance: after
 * a given read of the conversation's state, "instance B" writes it (with the
 * eTag it read, as a guarded state does), between instance A's read and write.
 */
class SecondWriter implements Storage {
  private readonly reads = new Map<string, number>();
  /** Called after each read of a conversation's state with how many times it has been read (this arming). */
  interfere?: { atRead: number; done: boolean; change: (item: Record<string, unknown>) => Record<string, unknown> };

  constructor(readonly inner: Storage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    await this.afterRead(keys);
    return items;
  }

  /** The check before the first reply reads eTags alone where the store can (SQLite, Redis): a read all the same. */
  get readETags(): ((keys: string[]) => Promise<Map<string, string>>) | undefined {
    const inner = this.inner as Storage & Partial<ETagReader>;
    if (!inner.readETags) return undefined;
    return async (keys) => {
      const eTags = await inner.readETags!(keys);
      await this.afterRead(keys);
      return eTags;
    };
  }

  private async afterRead(keys: string[]): Promise<void> {
    for (const key of keys.filter((k) => k.includes('/conversations/'))) {
      const n = (this.reads.get(key) ?? 0) + 1;
      this.reads.set(key, n);
      const plan = this.interfere;
      if (plan && !plan.done && n === plan.atRead) {
        plan.done = true;
        const theirs = (await this.inner.read([key]))[key];
        await this.inner.write({ [key]: plan.change({ ...theirs }) });
      }
    }
  }

  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  arm(atRead: number, change: (item: Record<string, unknown>) => Record<string, unknown> = (item) => ({ ...item, writtenByB: true })): void {
    this.reads.clear();
    this.interfere = { atRead, done: false, change };
  }
}

const conversationKey = (items: StoreItems) => Object.keys(items).find((k) => k.includes('/conversations/'))!;

function describeConflicts(name: string, open: () => Promise<Storage>) {
  describe(name, () => {
    it('two writers of one state: the stale write fails naming the key and the newer state stays', async () => {
      const storage = await open();
      const state = new GuardedConversationState(storage);
      const adapter = new TestAdapter(async () => undefined);
      const activity = { type: 'message', channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u' }, recipient: { id: 'b' } } as Partial<Activity>;
      const a = new TurnContext(adapter, activity);
      const b = new TurnContext(adapter, activity);
      const step = state.createProperty<number>('step');
      await step.set(a, 1);
      await state.saveChanges(a);
      const [readByA, readByB] = [new TurnContext(adapter, activity), new TurnContext(adapter, activity)];
      expect(await step.get(readByA)).toBe(1);
      expect(await step.get(readByB)).toBe(1);
      await step.set(readByB, 2);
      await state.saveChanges(readByB);
      await step.set(readByA, 5);
      await expect(state.saveChanges(readByA)).rejects.toThrow(StateConflictError);
      expect(await step.get(b)).toBe(2);
    });

    it('two writers of a state that did not exist yet: the second one fails and the first one\'s state stays', async () => {
      const storage = await open();
      const state = new GuardedConversationState(storage);
      const adapter = new TestAdapter(async () => undefined);
      const activity = { type: 'message', channelId: 'test', conversation: { id: 'new' }, from: { id: 'u' }, recipient: { id: 'b' } } as Partial<Activity>;
      const step = state.createProperty<number>('step');
      const [a, b] = [new TurnContext(adapter, activity), new TurnContext(adapter, activity)];
      expect(await step.get(a)).toBeUndefined();
      expect(await step.get(b)).toBeUndefined();
      await step.set(a, 1);
      await state.saveChanges(a);
      await step.set(b, 2);
      await expect(state.saveChanges(b)).rejects.toThrow(StateConflictError);
      expect(await step.get(new TurnContext(adapter, activity))).toBe(1);
      // A second save in the same turn (after the first created it) is not taken for a conflict.
      await step.set(a, 3);
      await expect(state.saveChanges(a)).resolves.toBeUndefined();
    });

    it('a turn whose state another instance wrote meanwhile runs again on fresh state: replies once, nothing overwritten', async () => {
      const storage = new SecondWriter(await open());
      const c = new TestConversation({ storage });
      const control = new TestConversation();
      await c.join();
      await control.join();
      const first = 'my whatsapp backup is stuck';
      const expected = await control.say(first);
      // B writes right after A's first read of the conversation (A has read the step it is at, and not replied yet).
      storage.arm(1);
      const turn = await c.say(first);
      expect(storage.interfere?.done).toBe(true);
      expect(turn.activities.map((a) => a.text)).toEqual(expected.activities.map((a) => a.text));
      const stored = await storage.inner.read([conversationKey(await readAll(storage.inner, c))]);
      const item = Object.values(stored)[0] as { writtenByB?: boolean; recentActivityIds: string[] };
      expect(item.writtenByB).toBe(true); // B's write survived A's turn
      expect(item.recentActivityIds).toHaveLength(2); // A's turn was saved too, once (join + message)
      // The conversation goes on from where A's retried turn left it.
      const next = await c.say('done');
      expect(next.text.length).toBeGreaterThan(0);
    });

    it('an activity that instance B processed while A waited on stale state is dropped by A\'s retry (no second reply)', async () => {
      const storage = new SecondWriter(await open());
      const c = new TestConversation({ storage });
      await c.join();
      c.adapter.activeQueue.splice(0);
      const id = 'retried-activity-1';
      // B took the same activity (a channel's retry sent to the other instance), replied and saved its id.
      storage.arm(1, (item) => ({ ...item, recentActivityIds: [...(item.recentActivityIds as string[]), id] }));
      await c.adapter.receiveActivity({ type: 'message', text: 'my whatsapp backup is stuck', id } as Partial<Activity>);
      expect(storage.interfere?.done).toBe(true);
      expect(c.adapter.activeQueue).toEqual([]);
    });

    it('a turn run again after a conflict still puts the rating question it had claimed', async () => {
      const insights = () => {
        const db = new Database(':memory:');
        const recorder = createInsightsRecorder(new SqliteInsightsStore(db));
        return { db, wiring: { recorder: recorder.middleware, csat: recorder.csat, erase: async () => undefined } };
      };
      // A conversation without interference shows the way to the question: a fix walked with "yes" to "it worked".
      const quiet = insights();
      const control = new TestConversation({ insights: quiet.wiring });
      await control.join();
      const said = ['my whatsapp backup is stuck'];
      let last = await control.say(said[0]!);
      while (!last.text.includes(text.csat_ask!) && said.length < 30) last = await control.say(said[said.length] = 'yes');
      expect(last.text).toContain(text.csat_ask);

      const storage = new SecondWriter(await open());
      const busy = insights();
      const c = new TestConversation({ storage, insights: busy.wiring });
      await c.join();
      for (const words of said.slice(0, -1)) await c.say(words);
      // B writes right after A's first read of the conversation in the turn that puts the question: A runs it again.
      storage.arm(1);
      const turn = await c.say(said[said.length - 1]!);
      expect(storage.interfere?.done).toBe(true);
      expect(turn.text).toBe(last.text);
      quiet.db.close();
      busy.db.close();
    });

    it('a conflict found only when saving, after the replies went out, fails the turn without writing', async () => {
      const storage = new SecondWriter(await open());
      const c = new TestConversation({ storage });
      await c.join();
      const key = conversationKey(await readAll(storage.inner, c));
      const before = (await storage.inner.read([key]))[key] as { recentActivityIds: string[] };
      // Read 1: the turn's load; read 2: the check before the first reply. B writes right after that check.
      storage.arm(2);
      await expect(c.say('my whatsapp backup is stuck')).rejects.toThrow(StateConflictError);
      const after = (await storage.inner.read([key]))[key] as { writtenByB?: boolean; recentActivityIds: string[] };
      expect(after.writtenByB).toBe(true);
      expect(after.recentActivityIds).toEqual(before.recentActivityIds); // the failed turn recorded nothing
    });
  });
}

/** The stored conversation key of a TestConversation (webchat channel, the adapter's conversation id). */
async function readAll(storage: Storage, c: TestConversation): Promise<StoreItems> {
  const key = `webchat/conversations/${c.adapter.conversation.conversation.id}/`;
  return storage.read([key]);
}

describe('state honouring eTags across writers, and the turn run again on a conflict', () => {
  let server: RunningRedis;
  const clients: Redis[] = [];
  let n = 0;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await closeClients(clients);
    await server.stop();
  });

  describeConflicts('on SQLite', async () => new SqliteStorage({ file: ':memory:' }));
  describeConflicts('on Redis', async () => {
    const redis = new Redis(server.url);
    clients.push(redis);
    return new RedisStorage({ redis, prefix: `conflict${++n}:` });
  });
  describeConflicts('on botbuilder\'s MemoryStorage (the tests\' default)', async () => new MemoryStorage());
});
