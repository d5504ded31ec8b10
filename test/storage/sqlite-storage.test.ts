import fs from 'fs';
import os from 'os';
import path from 'path';
import { ConversationState, TestAdapter, TurnContext, UserState } from 'botbuilder-core';
import { SqliteStorage } from '../../src/storage';
import { describeStorageContract } from './storage-contract';

const TEAMS_KEY = 'msteams/conversations/19:abc@thread.v2/';

describe('SqliteStorage', () => {
  let tmpDir: string;
  const opened: SqliteStorage[] = [];

  /** Opens a storage that is closed after the test, even when the test fails. */
  function open(file: string): SqliteStorage {
    const storage = new SqliteStorage({ file });
    opened.push(storage);
    return storage;
  }

  beforeEach(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-storage-test-'));
  });

  afterEach(() => {
    opened.splice(0).forEach((s) => s.close());
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  describe('options', () => {
    it('throws a clear error at construction when file is missing or empty', () => {
      expect(() => new SqliteStorage(undefined as never)).toThrow(/options must be an object/);
      expect(() => new SqliteStorage({} as never)).toThrow(/options\.file must be a non-empty path/);
      expect(() => new SqliteStorage({ file: '  ' })).toThrow(/options\.file must be a non-empty path/);
      expect(() => new SqliteStorage({ file: 42 } as never)).toThrow(/options\.file must be a non-empty path/);
    });

    it('creates the parent folder of the database file when it does not exist', async () => {
      const file = path.join(tmpDir, 'nested', 'deeper', 'bot.sqlite');
      const storage = open(file);
      await storage.write({ a: { n: 1 } });
      expect(fs.existsSync(file)).toBe(true);
    });

    it('opens the database file in WAL mode', () => {
      const file = path.join(tmpDir, 'bot.sqlite');
      open(file);
      expect(fs.existsSync(`${file}-wal`)).toBe(true);
    });
  });

  describe('the storage contract', () => {
    describeStorageContract(async () => open(':memory:'));
  });

  describe('durability', () => {
    it('shows a second instance on the same file what the first one wrote', async () => {
      const file = path.join(tmpDir, 'bot.sqlite');
      const first = open(file);
      await first.write({ [TEAMS_KEY]: { turn: 1, list: [1, 2] } });
      const written = (await first.read([TEAMS_KEY]))[TEAMS_KEY];
      first.close();

      const second = open(file);
      expect((await second.read([TEAMS_KEY]))[TEAMS_KEY]).toEqual(written);
    });

    it('enforces eTags across two instances open on the same file at once', async () => {
      const file = path.join(tmpDir, 'bot.sqlite');
      const a = open(file);
      const b = open(file);
      await a.write({ k: { v: 0 } });
      const seenByA = (await a.read(['k'])).k;
      const seenByB = (await b.read(['k'])).k;

      await b.write({ k: { ...seenByB, v: 'b' } });
      await expect(a.write({ k: { ...seenByA, v: 'a' } })).rejects.toThrow('"k" due to eTag conflict');
      expect((await a.read(['k'])).k.v).toBe('b');
    });

    it('rejects operations after close() with a clear error, and close() is idempotent', async () => {
      const storage = open(':memory:');
      storage.close();
      expect(() => storage.close()).not.toThrow();
      await expect(storage.read(['k'])).rejects.toThrow(/storage has been closed/);
      await expect(storage.write({ k: {} })).rejects.toThrow(/storage has been closed/);
      await expect(storage.delete(['k'])).rejects.toThrow(/storage has been closed/);
    });
  });

  describe('with botbuilder ConversationState and UserState (TestAdapter)', () => {
    interface Bot {
      adapter: TestAdapter;
      conversationState: ConversationState;
    }

    /** A tiny bot that counts turns per conversation and remembers the user's name. */
    function makeBot(storage: SqliteStorage): Bot {
      const conversationState = new ConversationState(storage);
      const userState = new UserState(storage);
      const turns = conversationState.createProperty<number>('turns');
      const name = userState.createProperty<string>('name');
      const adapter = new TestAdapter(async (context) => {
        const turn = (await turns.get(context, 0)) + 1;
        await turns.set(context, turn);
        const match = /^my name is (\w+)/i.exec(context.activity.text ?? '');
        if (match) await name.set(context, match[1]);
        await context.sendActivity(`turn ${turn}, name ${await name.get(context, '?')}`);
        await conversationState.saveChanges(context);
        await userState.saveChanges(context);
      });
      return { adapter, conversationState };
    }

    it('has the state saved in one turn in the next turn after re-opening the storage from the file', async () => {
      const file = path.join(tmpDir, 'state', 'bot.sqlite');

      const before = open(file);
      await makeBot(before).adapter.send('my name is Ana').assertReply('turn 1, name Ana');
      before.close();

      const after = open(file);
      await makeBot(after).adapter.send('hello again').assertReply('turn 2, name Ana');
      const stored = await after.read(['test/conversations/Convo1/', 'test/users/user1/']);
      expect(stored['test/conversations/Convo1/']).toMatchObject({ turns: 2 });
      expect(stored['test/users/user1/']).toMatchObject({ name: 'Ana' });
    });

    /** Runs two turns on the same conversation that both load state before either saves. */
    async function twoOverlappingTurns(
      bot: Bot,
      save: (context: TurnContext, who: string) => Promise<void>,
    ): Promise<PromiseSettledResult<void>[]> {
      const turns = bot.conversationState.createProperty<string>('lastWriter');
      let loaded = 0;
      let releaseSaves!: () => void;
      const bothLoaded = new Promise<void>((resolve) => (releaseSaves = resolve));
      const firstSaved = deferred();

      const turn = (who: string) =>
        bot.adapter.processActivity(`from ${who}`, async (context) => {
          await bot.conversationState.load(context);
          await turns.set(context, who);
          if (++loaded === 2) releaseSaves();
          await bothLoaded;
          if (who === 'second') await firstSaved.promise; // fix the save order
          try {
            await save(context, who);
          } finally {
            if (who === 'first') firstSaved.resolve();
          }
        });

      return Promise.allSettled([turn('first'), turn('second')]);
    }

    it('throws on the second of two concurrent saves of the same conversation state with stale eTags', async () => {
      const storage = open(path.join(tmpDir, 'bot.sqlite'));
      const bot = makeBot(storage);
      await bot.adapter.send('seed').assertReply('turn 1, name ?'); // so both turns load a real eTag

      // Write each turn's loaded state with the eTag it was read with.
      const results = await twoOverlappingTurns(bot, async (context) => {
        const key = bot.conversationState.getStorageKey(context)!;
        await storage.write({ [key]: bot.conversationState.get(context) });
      });

      expect(results[0].status).toBe('fulfilled');
      expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/eTag conflict/) }) });
      expect((await storage.read(['test/conversations/Convo1/']))['test/conversations/Convo1/'].lastWriter).toBe('first');
    });

    it("documents that ConversationState.saveChanges in botbuilder 4.23 writes eTag '*', so its concurrent saves are last-writer-wins", async () => {
      const storage = open(path.join(tmpDir, 'bot.sqlite'));
      const bot = makeBot(storage);
      await bot.adapter.send('seed').assertReply('turn 1, name ?');

      const results = await twoOverlappingTurns(bot, (context) => bot.conversationState.saveChanges(context));

      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect((await storage.read(['test/conversations/Convo1/']))['test/conversations/Convo1/'].lastWriter).toBe('second');
    });
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
