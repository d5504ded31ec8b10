import { TestAdapter, TranscriptLoggerMiddleware } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';
import type { TranscriptArchive } from '../../src/storage/transcript-archive';

/**
 * What every transcript store of the bot must do, whatever is behind it
 * (SQLite, Redis): botbuilder's TranscriptStore with pages of 20 and
 * continuation tokens, kept redacted without traces, with retention by age.
 * `fresh()` gives an empty store for each test; `close()` releases it.
 */
export function describeTranscriptStoreContract(fresh: () => Promise<TranscriptArchive>, close: (store: TranscriptArchive) => Promise<void> | void = () => undefined): void {
  let transcripts: TranscriptArchive;
  beforeEach(async () => {
    transcripts = await fresh();
  });
  afterEach(async () => {
    await close(transcripts);
  });
  const line = (conversation: string, i: number, extra: Partial<Activity> = {}): Activity =>
    ({ type: 'message', id: `a${i}`, text: `m${i}`, channelId: 'test', conversation: { id: conversation }, from: { id: 'u', role: 'user' }, timestamp: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1000), ...extra }) as Activity;

  it('takes both directions from TranscriptLoggerMiddleware, and deletes a transcript', async () => {
    const adapter = new TestAdapter(async (context) => void (await context.sendActivity(`echo: ${context.activity.text}`)));
    adapter.use(new TranscriptLoggerMiddleware(transcripts));
    await adapter.send('hello').assertReply('echo: hello').send('again').assertReply('echo: again');
    const { channelId, conversation } = adapter.conversation;
    const page = await transcripts.getTranscriptActivities(channelId!, conversation!.id);
    expect(page.items.map((a: Activity) => `${a.from.role === 'user' ? 'user' : 'bot'}: ${a.text}`)).toEqual(['user: hello', 'bot: echo: hello', 'user: again', 'bot: echo: again']);
    expect(page.items[0]!.timestamp).toBeInstanceOf(Date);
    expect(page.continuationToken).toBe('');
    expect((await transcripts.listTranscripts(channelId!)).items.map((t) => t.id)).toEqual([conversation!.id]);
    await transcripts.deleteTranscript(channelId!, conversation!.id);
    expect((await transcripts.getTranscriptActivities(channelId!, conversation!.id)).items).toEqual([]);
    expect((await transcripts.listTranscripts(channelId!)).items).toEqual([]);
  });

  it('pages by 20 with a continuation token, and filters by start date', async () => {
    for (let i = 0; i < 45; i++) await transcripts.logActivity(line('c1', i));
    const one = await transcripts.getTranscriptActivities('test', 'c1');
    const two = await transcripts.getTranscriptActivities('test', 'c1', one.continuationToken);
    const three = await transcripts.getTranscriptActivities('test', 'c1', two.continuationToken);
    expect([one.items.length, two.items.length, three.items.length, three.continuationToken]).toEqual([20, 20, 5, '']);
    expect([one.items[0]!.text, two.items[0]!.text, three.items.at(-1)!.text]).toEqual(['m0', 'm20', 'm44']);
    const since = new Date(Date.parse('2026-01-01T00:00:00Z') + 40_000);
    expect((await transcripts.getTranscriptActivities('test', 'c1', undefined, since)).items.map((a) => a.text)).toEqual(['m40', 'm41', 'm42', 'm43', 'm44']);
    expect((await transcripts.getTranscriptActivities('other-channel', 'c1')).items).toEqual([]);
  });

  it('lists a channel\'s conversations by id, 20 a page, each with its first time', async () => {
    for (let i = 0; i < 25; i++) await transcripts.logActivity(line(`conv-${String(i).padStart(2, '0')}`, 100 - i));
    await transcripts.logActivity(line('conv-03', 1));
    await transcripts.logActivity(line('elsewhere', 1, { channelId: 'msteams' }));
    const one = await transcripts.listTranscripts('test');
    const two = await transcripts.listTranscripts('test', one.continuationToken);
    expect(one.items.map((t) => t.id)).toEqual(Array.from({ length: 20 }, (_, i) => `conv-${String(i).padStart(2, '0')}`));
    expect(two.items.map((t) => t.id)).toEqual(['conv-20', 'conv-21', 'conv-22', 'conv-23', 'conv-24']);
    expect(two.continuationToken).toBe('');
    expect(one.items[3]).toEqual({ channelId: 'test', id: 'conv-03', created: new Date(Date.parse('2026-01-01T00:00:00Z') + 1000) });
    expect((await transcripts.listTranscripts('msteams')).items.map((t) => t.id)).toEqual(['elsewhere']);
  });

  it('gives a conversation\'s activities of every channel in order, and deletes only the channel asked', async () => {
    await transcripts.logActivity(line('c', 1));
    await transcripts.logActivity(line('c', 2, { channelId: 'webchat' }));
    await transcripts.logActivity(line('c', 3));
    expect((await transcripts.activities('c')).map((a) => a.text)).toEqual(['m1', 'm2', 'm3']);
    expect(await transcripts.activities('nobody')).toEqual([]);
    await transcripts.deleteTranscript('test', 'c');
    expect((await transcripts.activities('c')).map((a) => [a.channelId, a.text])).toEqual([['webchat', 'm2']]);
    expect((await transcripts.listTranscripts('test')).items).toEqual([]);
    expect((await transcripts.listTranscripts('webchat')).items.map((t) => t.id)).toEqual(['c']);
  });

  it('keeps what people wrote redacted, no debugging traces, and deletes what is older than the retention', async () => {
    const base = { channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u', role: 'user' }, recipient: { id: 'bot' } } as Partial<Activity>;
    await transcripts.logActivity({ ...base, type: 'message', id: 'old', timestamp: new Date('2026-01-01T00:00:00Z'), text: 'old line' } as Activity);
    await transcripts.logActivity({ ...base, conversation: { id: 'gone' }, type: 'message', id: 'old2', timestamp: new Date('2026-01-02T00:00:00Z'), text: 'old line' } as Activity);
    await transcripts.logActivity({ ...base, type: 'message', id: 'new', timestamp: new Date(), text: 'mail jane@example.com or call +44 7700 900123', value: { note: 'my number is 07700900123' } } as Activity);
    await transcripts.logActivity({ ...base, type: 'trace', id: 'trace', timestamp: new Date(), value: { text: 'jane@example.com' } } as Activity);
    expect(await transcripts.deleteOlderThan('2026-06-01T00:00:00.000Z')).toBe(2);
    expect(await transcripts.deleteOlderThan('2026-06-01T00:00:00.000Z')).toBe(0);
    const page = await transcripts.getTranscriptActivities('test', 'c1');
    expect(page.items.map((a) => [a.type, a.text, a.value])).toEqual([['message', 'mail [email] or call [phone]', { note: 'my number is [phone]' }]]);
    expect((await transcripts.listTranscripts('test')).items.map((t) => t.id)).toEqual(['c1']);
  });

  it('refuses an activity without channel or conversation', async () => {
    await expect(async () => transcripts.logActivity({ type: 'message', text: 'x' } as Activity)).rejects.toThrow(TypeError);
  });
}
