import { TestAdapter, TurnContext } from 'botbuilder-core';
import type { Activity, Storage, StoreItems } from 'botbuilder-core';
import { GuardedConversationState } from '../../src/bot/guarded-state';
import { SqliteStorage } from '../../src/storage';

/** SQLite storage that counts the writes it is asked for. */
class CountingStorage implements Storage {
  writes: StoreItems[] = [];
  constructor(readonly inner: SqliteStorage) {}
  read(keys: string[]) {
    return this.inner.read(keys);
  }
  async write(changes: StoreItems) {
    this.writes.push(changes);
    return this.inner.write(changes);
  }
  delete(keys: string[]) {
    return this.inner.delete(keys);
  }
}

describe('a guarded state writes only what a turn changed', () => {
  const storage = new CountingStorage(new SqliteStorage({ file: ':memory:' }));
  const state = new GuardedConversationState(storage);
  const progress = state.createProperty<{ step: number; said: string[] }>('progress');
  const adapter = new TestAdapter(async () => undefined);
  const turn = () => new TurnContext(adapter, { type: 'message', channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u' }, recipient: { id: 'b' } } as Activity);
  afterAll(() => storage.inner.close());

  test('a new state is written; read again and left alone, nothing is; changed, it is written as changed', async () => {
    const first = turn();
    await progress.set(first, { step: 1, said: ['my backup is stuck', 'ünïcode “quotes” \u2028'] });
    await state.saveChanges(first);
    expect(storage.writes).toHaveLength(1);

    const unchanged = turn();
    expect(await progress.get(unchanged)).toEqual({ step: 1, said: ['my backup is stuck', 'ünïcode “quotes” \u2028'] });
    await state.saveChanges(unchanged);
    expect(storage.writes).toHaveLength(1);

    const changed = turn();
    (await progress.get(changed))!.said.push('done');
    await state.saveChanges(changed);
    expect(storage.writes).toHaveLength(2);
    expect(await progress.get(turn())).toEqual({ step: 1, said: ['my backup is stuck', 'ünïcode “quotes” \u2028', 'done'] });

    // A save after a save in the same turn writes what changed since.
    (await progress.get(changed))!.step = 2;
    await state.saveChanges(changed);
    await state.saveChanges(changed);
    expect(storage.writes).toHaveLength(3);
    expect((await progress.get(turn()))!.step).toBe(2);
  });
});
