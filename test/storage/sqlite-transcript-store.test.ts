import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptLoggerMiddleware, TestAdapter } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';
import { SqliteStorage, SqliteTranscriptStore } from '../../src/storage';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open(file: string): { storage: SqliteStorage; transcripts: SqliteTranscriptStore } {
  const storage = new SqliteStorage({ file });
  return { storage, transcripts: new SqliteTranscriptStore(storage.database) };
}

test('TranscriptLoggerMiddleware writes both directions into the state database, and they survive reopening', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
  dirs.push(dir);
  const file = join(dir, 'state.sqlite');
  const first = open(file);
  const adapter = new TestAdapter(async (context) => void (await context.sendActivity(`echo: ${context.activity.text}`)));
  adapter.use(new TranscriptLoggerMiddleware(first.transcripts));
  await adapter.send('hello').assertReply('echo: hello').send('again').assertReply('echo: again');
  first.storage.close();

  const second = open(file);
  const { channelId, conversation } = adapter.conversation;
  const page = await second.transcripts.getTranscriptActivities(channelId!, conversation!.id);
  expect(page.items.map((a: Activity) => `${a.from.role === 'user' ? 'user' : 'bot'}: ${a.text}`)).toEqual(['user: hello', 'bot: echo: hello', 'user: again', 'bot: echo: again']);
  expect(page.continuationToken).toBe('');
  expect((await second.transcripts.listTranscripts(channelId!)).items.map((t) => t.id)).toEqual([conversation!.id]);
  await second.transcripts.deleteTranscript(channelId!, conversation!.id);
  expect((await second.transcripts.getTranscriptActivities(channelId!, conversation!.id)).items).toEqual([]);
  second.storage.close();
});

test('pages by 20 with a continuation token, and filters by start date', async () => {
  const { storage, transcripts } = open(':memory:');
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 45; i++) {
    transcripts.logActivity({ type: 'message', id: `a${i}`, text: `m${i}`, channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' }, timestamp: new Date(base + i * 1000) } as Activity);
  }
  const one = await transcripts.getTranscriptActivities('test', 'c1');
  const two = await transcripts.getTranscriptActivities('test', 'c1', one.continuationToken);
  const three = await transcripts.getTranscriptActivities('test', 'c1', two.continuationToken);
  expect([one.items.length, two.items.length, three.items.length, three.continuationToken]).toEqual([20, 20, 5, '']);
  expect(three.items.at(-1)!.text).toBe('m44');
  expect((await transcripts.getTranscriptActivities('test', 'c1', undefined, new Date(base + 40_000))).items.map((a) => a.text)).toEqual(['m40', 'm41', 'm42', 'm43', 'm44']);
  storage.close();
});

test('keeps what people wrote redacted, no debugging traces, and deletes what is older than the retention', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
  dirs.push(dir);
  const { storage, transcripts } = open(join(dir, 'state.sqlite'));
  const base = { channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' }, recipient: { id: 'bot' } } as Partial<Activity>;
  transcripts.logActivity({ ...base, type: 'message', id: 'old', timestamp: new Date('2026-01-01T00:00:00Z'), text: 'old line' } as Activity);
  transcripts.logActivity({ ...base, type: 'message', id: 'new', timestamp: new Date(), text: 'mail jane@example.com or call +44 7700 900123', value: { note: 'my number is 07700900123' } } as Activity);
  transcripts.logActivity({ ...base, type: 'trace', id: 'trace', timestamp: new Date(), value: { text: 'jane@example.com' } } as Activity);
  expect(transcripts.deleteOlderThan('2026-06-01T00:00:00.000Z')).toBe(1);
  const page = await transcripts.getTranscriptActivities('test', 'c1');
  expect(page.items.map((a) => [a.type, a.text, a.value])).toEqual([['message', 'mail [email] or call [phone]', { note: 'my number is [phone]' }]]);
  storage.close();
});
