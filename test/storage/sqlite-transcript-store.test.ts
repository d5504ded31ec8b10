import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder-core';
import { SqliteStorage, SqliteTranscriptStore } from '../../src/storage';
import { TickWrites } from '../../src/storage/tick-writes';
import { describeTranscriptStoreContract } from './transcript-store-contract';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open(file: string): { storage: SqliteStorage; transcripts: SqliteTranscriptStore; writes: TickWrites } {
  const storage = new SqliteStorage({ file });
  const writes = new TickWrites(storage.database);
  return { storage, transcripts: new SqliteTranscriptStore(storage.database, writes), writes };
}

describe('SqliteTranscriptStore', () => {
  const storages = new Map<unknown, SqliteStorage>();
  describeTranscriptStoreContract(
    async () => {
      const { storage, transcripts } = open(':memory:');
      storages.set(transcripts, storage);
      return transcripts;
    },
    (transcripts) => storages.get(transcripts)?.close(),
  );

  test('keeps the transcripts in the state database across reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
    dirs.push(dir);
    const file = join(dir, 'state.sqlite');
    const first = open(file);
    first.transcripts.logActivity({ type: 'message', id: 'a', text: 'hello', channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' } } as Activity);
    first.writes.flush(); // as the app's shutdown does before the database closes
    first.storage.close();
    const second = open(file);
    expect((await second.transcripts.getTranscriptActivities('test', 'c1')).items.map((a) => a.text)).toEqual(['hello']);
    second.storage.close();
  });

  test('a row waits for the end of the tick, and a read straight after logging sees it', async () => {
    const { storage, transcripts } = open(':memory:');
    const activity = (id: string) => ({ type: 'message', id, text: id, channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' } }) as Activity;
    const rows = () => (storage.database.prepare('SELECT COUNT(*) AS n FROM transcript_activities').get() as { n: number }).n;
    transcripts.logActivity(activity('a'));
    transcripts.logActivity(activity('b'));
    expect(rows()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows()).toBe(2);
    transcripts.logActivity(activity('c'));
    expect((await transcripts.activities('c1')).map((a) => a.text)).toEqual(['a', 'b', 'c']);
    storage.close();
  });
});
