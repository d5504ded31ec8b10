import { computeFigures } from '../../src/insights/figures';
import type { InsightsStore } from '../../src/insights/insights-store';
import { figureRows, formatTables, toCsv } from '../../src/insights/report';

const DAY = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' };
const ALL_TIME = { since: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z' };
const at = (minute: number): string => new Date(Date.parse(DAY.since) + minute * 60_000).toISOString();

/**
 * What every insights store must do, whatever is behind it (SQLite, Redis):
 * the same events, ratings and inbox, and so the same figures. `fresh()`
 * gives an empty store for each test; `close()` releases it.
 */
export function describeInsightsStoreContract(fresh: () => Promise<InsightsStore>, close: (store: InsightsStore) => Promise<void> | void = () => undefined): void {
  let store: InsightsStore;
  beforeEach(async () => {
    store = await fresh();
  });
  afterEach(async () => {
    await close(store);
  });

  async function journeys(): Promise<void> {
    // a: solved by the second fix after the first failed
    await store.record({ conversation: 'a', kind: 'fix_started', fix: 'restart', at: at(1) });
    await store.record({ conversation: 'a', kind: 'step_reached', fix: 'restart', step: 'power-off', at: at(1) });
    await store.record({ conversation: 'a', kind: 'fix_failed', fix: 'restart', at: at(2) });
    await store.record({ conversation: 'a', kind: 'fix_started', fix: 'storage', at: at(3) });
    await store.record({ conversation: 'a', kind: 'step_reached', fix: 'storage', step: 'open-settings', at: at(3) });
    await store.record({ conversation: 'a', kind: 'resolved', fix: 'storage', at: at(4) });
    // b: could not find a setting, then walked away there
    await store.record({ conversation: 'b', kind: 'fix_started', fix: 'storage', at: at(5) });
    await store.record({ conversation: 'b', kind: 'step_reached', fix: 'storage', step: 'open-settings', at: at(5) });
    await store.record({ conversation: 'b', kind: 'cant_find', fix: 'storage', step: 'open-settings', at: at(6) });
    // c: Android; d: escalated; e: out of scope then handed off (its last outcome counts)
    await store.record({ conversation: 'c', kind: 'android', at: at(7) });
    await store.record({ conversation: 'd', kind: 'escalated', at: at(8) });
    await store.record({ conversation: 'e', kind: 'out_of_scope', at: at(9) });
    await store.record({ conversation: 'e', kind: 'handed_off', at: at(10) });
    // outside the period: one before it, one at its (exclusive) end
    await store.record({ conversation: 'z', kind: 'resolved', fix: 'storage', at: '2026-10-31T23:59:59.000Z' });
    await store.record({ conversation: 'y', kind: 'escalated', at: DAY.until });
  }

  it('keeps each conversation\'s events in order with their ids, and a period\'s from its start up to its end', async () => {
    await journeys();
    const a = await store.events('a');
    expect(a.map((e) => e.kind)).toEqual(['fix_started', 'step_reached', 'fix_failed', 'fix_started', 'step_reached', 'resolved']);
    expect(a[1]).toEqual({ id: expect.any(Number), conversation: 'a', at: at(1), kind: 'step_reached', fix: 'restart', step: 'power-off' });
    expect(a[2]).toMatchObject({ fix: 'restart', step: null });
    expect(a.map((e) => e.id)).toEqual([...a.map((e) => e.id)].sort((x, y) => x - y));
    expect(await store.events('nobody')).toEqual([]);
    const day = await store.eventsIn(DAY);
    expect(day).toHaveLength(13);
    expect(new Set(day.map((e) => e.conversation))).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
    expect(day.map((e) => e.id)).toEqual([...day.map((e) => e.id)].sort((x, y) => x - y));
  });

  it('marks a conversation left inside a fix as abandoned at the step it stopped, once', async () => {
    await journeys();
    expect(await store.markAbandoned(at(30), at(31))).toBe(1);
    expect(await store.markAbandoned(at(60), at(61))).toBe(0);
    expect((await store.events('b')).at(-1)).toMatchObject({ kind: 'abandoned', fix: 'storage', step: 'open-settings', at: at(31) });
  });

  it('looks only at conversations active since the previous pass, and not at one still within the idle time', async () => {
    await store.record({ conversation: 'old', kind: 'step_reached', fix: 'f', step: 's', at: at(1) });
    await store.record({ conversation: 'new', kind: 'step_reached', fix: 'f', step: 's', at: at(20) });
    expect(await store.markAbandoned(at(10), at(40), at(5))).toBe(0);
    expect(await store.markAbandoned(at(25), at(41), at(5))).toBe(1);
    expect((await store.events('new')).map((e) => e.kind)).toEqual(['step_reached', 'abandoned']);
    expect((await store.events('old')).map((e) => e.kind)).toEqual(['step_reached']);
  });

  it('counts every outcome, each conversation once by its last outcome, and the funnel of each fix', async () => {
    await journeys();
    await store.markAbandoned(at(30), at(31));
    const f = await computeFigures(store, DAY, new Map([['storage', ['open-settings', 'check-space']]]));
    expect(f.conversations).toBe(5);
    expect(f.outcomes).toEqual({ resolved: 1, escalated: 1, handed_off: 1, abandoned: 1, out_of_scope: 0, android: 1 });
    expect(f.open).toBe(0);
    expect(f.resolvedByFix).toEqual([{ fix: 'storage', resolved: 1 }]);
    expect(f.fixes).toEqual([
      { fix: 'restart', started: 1, solved: 0, failed: 1, abandoned: 0, steps: [{ step: 'power-off', reached: 1, cantFind: 0, abandoned: 0 }] },
      {
        fix: 'storage',
        started: 2,
        solved: 1,
        failed: 0,
        abandoned: 1,
        steps: [
          { step: 'open-settings', reached: 2, cantFind: 1, abandoned: 1 },
          { step: 'check-space', reached: 0, cantFind: 0, abandoned: 0 },
        ],
      },
    ]);
  });

  it('keeps one rating per conversation and redacts its comment', async () => {
    expect(await store.recordCsat({ conversation: 'a', score: 5, after: 'fix', at: at(4) })).toBe(true);
    expect(await store.recordCsat({ conversation: 'a', score: 1, after: 'handoff', at: at(5) })).toBe(false);
    await store.commentCsat('a', 'great, write to me at me@example.com');
    await store.commentCsat('nobody', 'lost words');
    expect(await store.hasCsat('a')).toBe(true);
    expect(await store.hasCsat('b')).toBe(false);
    await expect(store.recordCsat({ conversation: 'b', score: 6, after: 'fix' })).rejects.toThrow(RangeError);
    await store.recordCsat({ conversation: 'c', score: 2, comment: 'call 07700900123', after: 'handoff', at: at(6) });
    const f = await computeFigures(store, DAY);
    expect(f.csat).toEqual({ answers: 2, mean: 3.5, distribution: [0, 1, 0, 0, 1] });
    expect(await store.csatIn(DAY)).toEqual([
      { conversation: 'a', at: at(4), score: 5, comment: 'great, write to me at [email]', after: 'fix' },
      { conversation: 'c', at: at(6), score: 2, comment: 'call [phone]', after: 'handoff' },
    ]);
    expect(await store.csatIn({ since: at(5), until: DAY.until })).toHaveLength(1);
    expect(await store.hasCsat('nobody')).toBe(false);
  });

  it('lets the rating question be put once per conversation, until retention forgets it', async () => {
    expect(await store.claimCsatQuestion('a', { at: at(1) })).toBe(true);
    expect(await store.claimCsatQuestion('a', { at: at(2) })).toBe(false);
    expect(await store.claimCsatQuestion('b')).toBe(true);
    expect(await store.deleteOlderThan(DAY.until)).toBe(0);
    expect(await store.claimCsatQuestion('a')).toBe(true);
    expect(await store.claimCsatQuestion('b')).toBe(false);
  });

  it('lets the turn that claimed the rating question claim it again when it runs again, and no other', async () => {
    expect(await store.claimCsatQuestion('a', { by: 'activity-7' })).toBe(true);
    expect(await store.claimCsatQuestion('a', { by: 'activity-7' })).toBe(true);
    expect(await store.claimCsatQuestion('a', { by: 'activity-8' })).toBe(false);
    expect(await store.claimCsatQuestion('a')).toBe(false);
    expect(await store.claimCsatQuestion('b')).toBe(true);
    expect(await store.claimCsatQuestion('b', { by: 'activity-9' })).toBe(false);
  });

  it('stores inbox messages redacted, and takes a reviewer\'s label or dismissal', async () => {
    await store.addToInbox({ conversation: 'a', text: 'call me on +44 7700 900123 my backup is borked', reason: 'below_route', readings: [{ name: 'backup_not_working', confidence: 0.41 }] });
    await store.addToInbox({ conversation: 'b', text: 'zzz', reason: 'fallback', readings: [] });
    const [b, a] = await store.inbox('open');
    expect(a).toEqual({
      id: expect.any(Number),
      conversation: 'a',
      at: expect.any(String),
      text: 'call me on [phone] my backup is borked',
      reason: 'below_route',
      readings: [{ name: 'backup_not_working', confidence: 0.41 }],
      status: 'open',
      label: null,
      labelledBy: null,
    });
    expect(b!.readings).toEqual([]);
    expect(await store.inboxItem(a!.id)).toEqual(a);
    expect(await store.inboxItem(987_654)).toBeUndefined();
    expect(await store.review(a!.id, { label: 'backup_not_working', by: 'sam' })).toBe(true);
    expect(await store.review(a!.id, { label: 'check_storage', by: 'alex' })).toBe(true);
    expect(await store.review(b!.id, 'dismiss')).toBe(true);
    expect(await store.review(b!.id, 'dismiss')).toBe(false);
    expect(await store.review(987_654, 'dismiss')).toBe(false);
    expect(await store.inbox('open')).toEqual([]);
    expect(await store.inbox('dismissed')).toEqual([expect.objectContaining({ id: b!.id, status: 'dismissed', label: null })]);
    expect(await store.inbox('labelled')).toEqual([expect.objectContaining({ label: 'check_storage', labelledBy: 'alex', readings: a!.readings })]);
    await store.markImported([a!.id]);
    expect(await store.review(a!.id, 'dismiss')).toBe(false);
    expect(await store.inbox('labelled')).toEqual([]);
    expect(await store.inbox('imported')).toEqual([expect.objectContaining({ id: a!.id, status: 'imported', label: 'check_storage' })]);
  });

  it('keeps at most three readings and 2,000 characters, and lists the newest first up to a limit', async () => {
    const readings = [0.5, 0.4, 0.3, 0.2].map((confidence, i) => ({ name: `i${i}`, confidence }));
    for (let i = 0; i < 5; i++) await store.addToInbox({ conversation: 'c', text: 'abcde'[i]!.repeat(3000), reason: 'fallback', readings });
    const two = await store.inbox('open', 2);
    expect(two.map((i) => i.text[0])).toEqual(['e', 'd']);
    expect(two[0]!.text).toHaveLength(2000);
    expect(two[0]!.readings).toEqual(readings.slice(0, 3));
  });

  it('marks the latest open fallback of the conversation within the time as rephrased, with the new readings', async () => {
    const now = Date.parse(at(100));
    await store.addToInbox({ conversation: 'c', text: 'too old', reason: 'fallback', readings: [], at: at(60) });
    await store.addToInbox({ conversation: 'c', text: 'first', reason: 'fallback', readings: [], at: at(95) });
    await store.addToInbox({ conversation: 'c', text: 'second', reason: 'fallback', readings: [], at: at(96) });
    await store.addToInbox({ conversation: 'c', text: 'unsure', reason: 'below_route', readings: [], at: at(97) });
    await store.addToInbox({ conversation: 'other', text: 'theirs', reason: 'fallback', readings: [], at: at(98) });
    const hint = [{ name: 'check_storage', confidence: 0.9 }];
    expect(await store.markRephrased('c', hint, 15 * 60_000, now)).toBe(true);
    expect(await store.markRephrased('c', hint, 15 * 60_000, now)).toBe(true);
    expect(await store.markRephrased('c', hint, 15 * 60_000, now)).toBe(false);
    expect(await store.markRephrased('nobody', hint, 15 * 60_000, now)).toBe(false);
    const byText = new Map((await store.inbox('open')).map((i) => [i.text, i]));
    expect(byText.get('second')).toMatchObject({ reason: 'rephrased', readings: hint });
    expect(byText.get('first')).toMatchObject({ reason: 'rephrased', readings: hint });
    expect(byText.get('too old')).toMatchObject({ reason: 'fallback' });
    expect(byText.get('unsure')).toMatchObject({ reason: 'below_route' });
    expect(byText.get('theirs')).toMatchObject({ reason: 'fallback' });
  });

  it('deletes what is older than the retention, and a conversation\'s texts on request', async () => {
    await journeys();
    await store.addToInbox({ conversation: 'e', text: 'old words', reason: 'fallback', readings: [], at: '2026-01-01T00:00:00.000Z' });
    await store.addToInbox({ conversation: 'e', text: 'new words', reason: 'fallback', readings: [] });
    await store.addToInbox({ conversation: 'f', text: 'someone else', reason: 'fallback', readings: [] });
    await store.recordCsat({ conversation: 'old', score: 1, after: 'fix', at: '2026-01-01T00:00:00.000Z' });
    await store.recordCsat({ conversation: 'e', score: 3, comment: 'meh', after: 'handoff' });
    expect(await store.deleteOlderThan(DAY.since)).toBe(3);
    expect(await store.events('z')).toEqual([]);
    expect((await store.inbox('open')).map((i) => i.text).sort()).toEqual(['new words', 'someone else']);
    expect(await store.hasCsat('old')).toBe(false);
    expect(await store.deleteOlderThan(DAY.since)).toBe(0);
    expect(await store.deleteConversationText('e')).toBe(2);
    expect(await store.deleteConversationText('e')).toBe(0);
    expect((await store.inbox('open')).map((i) => i.text)).toEqual(['someone else']);
    expect((await store.csatIn(ALL_TIME)).find((r) => r.conversation === 'e')).toMatchObject({ score: 3, comment: null });
    expect(await store.events('e')).toHaveLength(2);
  });

  it('exports the same figures as CSV and terminal tables', async () => {
    await journeys();
    const f = await computeFigures(store, DAY);
    const csv = toCsv(f).trim().split('\r\n');
    expect(csv[0]).toBe('section,fix,step,metric,value,since,until');
    expect(csv).toHaveLength(figureRows(f).length + 1);
    expect(csv).toContain(`outcome,,,android,1,${DAY.since},${DAY.until}`);
    expect(formatTables(f)).toMatch(/storage\s+2\s+1\s+0\s+0\s+50\.0%/);
  });
}
