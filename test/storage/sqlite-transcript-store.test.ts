import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder-core';
import { SqliteStorage, SqliteTranscriptStore } from '../../src/storage';
import { describeTranscriptStoreContract } from './transcript-store-contract';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open(file: string): { storage: SqliteStorage; transcripts: SqliteTranscriptStore } {
  const storage = new SqliteStorage({ file });
  return { storage, transcripts: new SqliteTranscriptStore(storage.database) };
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
    first.storage.close();
    const second = open(file);
    expect((await second.transcripts.getTranscriptActivities('test', 'c1')).items.map((a) => a.text)).toEqual(['hello']);
    second.storage.close();
  });
});
