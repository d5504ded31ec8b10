import Database from 'better-sqlite3';
import { computeFigures } from '../../src/insights/figures';
import { InsightsStore } from '../../src/insights/insights-store';
import { figureRows, formatTables, toCsv } from '../../src/insights/report';

const DAY = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' };
const at = (minute: number): string => new Date(Date.parse(DAY.since) + minute * 60_000).toISOString();

describe('InsightsStore and the figures computed from it', () => {
  let db: Database.Database;
  let store: InsightsStore;
  beforeEach(() => {
    db = new Database(':memory:');
    store = new InsightsStore(db);
  });
  afterEach(() => db.close());

  function journeys(): void {
    // a: solved by the second fix after the first failed
    store.record({ conversation: 'a', kind: 'fix_started', fix: 'restart', at: at(1) });
    store.record({ conversation: 'a', kind: 'step_reached', fix: 'restart', step: 'power-off', at: at(1) });
    store.record({ conversation: 'a', kind: 'fix_failed', fix: 'restart', at: at(2) });
    store.record({ conversation: 'a', kind: 'fix_started', fix: 'storage', at: at(3) });
    store.record({ conversation: 'a', kind: 'step_reached', fix: 'storage', step: 'open-settings', at: at(3) });
    store.record({ conversation: 'a', kind: 'resolved', fix: 'storage', at: at(4) });
    // b: could not find a setting, then walked away there
    store.record({ conversation: 'b', kind: 'fix_started', fix: 'storage', at: at(5) });
    store.record({ conversation: 'b', kind: 'step_reached', fix: 'storage', step: 'open-settings', at: at(5) });
    store.record({ conversation: 'b', kind: 'cant_find', fix: 'storage', step: 'open-settings', at: at(6) });
    // c: Android; d: escalated; e: out of scope then handed off (its last outcome counts)
    store.record({ conversation: 'c', kind: 'android', at: at(7) });
    store.record({ conversation: 'd', kind: 'escalated', at: at(8) });
    store.record({ conversation: 'e', kind: 'out_of_scope', at: at(9) });
    store.record({ conversation: 'e', kind: 'handed_off', at: at(10) });
    // outside the period
    store.record({ conversation: 'z', kind: 'resolved', fix: 'storage', at: '2026-10-31T23:59:59.000Z' });
  }

  it('marks a conversation left inside a fix as abandoned at the step it stopped, once', () => {
    journeys();
    expect(store.markAbandoned(at(30), at(31))).toBe(1);
    expect(store.markAbandoned(at(60), at(61))).toBe(0);
    expect(store.events('b').at(-1)).toMatchObject({ kind: 'abandoned', fix: 'storage', step: 'open-settings' });
  });

  it('counts every outcome, each conversation once by its last outcome, and the funnel of each fix', () => {
    journeys();
    store.markAbandoned(at(30), at(31));
    const f = computeFigures(store, DAY, new Map([['storage', ['open-settings', 'check-space']]]));
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

  it('keeps one rating per conversation and redacts its comment', () => {
    expect(store.recordCsat({ conversation: 'a', score: 5, after: 'fix', at: at(4) })).toBe(true);
    expect(store.recordCsat({ conversation: 'a', score: 1, after: 'handoff', at: at(5) })).toBe(false);
    store.commentCsat('a', 'great, write to me at me@example.com');
    expect(store.hasCsat('a')).toBe(true);
    expect(store.hasCsat('b')).toBe(false);
    expect(() => store.recordCsat({ conversation: 'b', score: 6, after: 'fix' })).toThrow(RangeError);
    const f = computeFigures(store, DAY);
    expect(f.csat).toEqual({ answers: 1, mean: 5, distribution: [0, 0, 0, 0, 1] });
    expect(store.csatIn(DAY)[0]!.comment).toBe('great, write to me at [email]');
  });

  it('stores inbox messages redacted, and takes a reviewer\'s label or dismissal', () => {
    store.addToInbox({ conversation: 'a', text: 'call me on +44 7700 900123 my backup is borked', reason: 'below_route', readings: [{ name: 'backup_not_working', confidence: 0.41 }] });
    store.addToInbox({ conversation: 'b', text: 'zzz', reason: 'fallback', readings: [{ name: 'none', confidence: 0.5 }] });
    const [b, a] = store.inbox('open');
    expect(a!.text).toBe('call me on [phone] my backup is borked');
    expect(store.review(a!.id, { label: 'backup_not_working', by: 'sam' })).toBe(true);
    expect(store.review(b!.id, 'dismiss')).toBe(true);
    expect(store.review(9999, 'dismiss')).toBe(false);
    expect(store.inbox('labelled')).toEqual([expect.objectContaining({ label: 'backup_not_working', labelledBy: 'sam' })]);
    store.markImported([a!.id]);
    expect(store.review(a!.id, 'dismiss')).toBe(false);
    expect(store.inbox('imported')).toHaveLength(1);
  });

  it('deletes what is older than the retention, and a conversation\'s texts on request', () => {
    journeys();
    store.addToInbox({ conversation: 'e', text: 'old words', reason: 'fallback', readings: [], at: '2026-01-01T00:00:00.000Z' });
    store.addToInbox({ conversation: 'e', text: 'new words', reason: 'fallback', readings: [] });
    store.recordCsat({ conversation: 'e', score: 3, comment: 'meh', after: 'handoff' });
    expect(store.deleteOlderThan(DAY.since)).toBe(2);
    expect(store.events('z')).toEqual([]);
    expect(store.deleteConversationText('e')).toBe(2);
    expect(store.inbox('open')).toEqual([]);
    expect(store.csatIn({ since: '2000-01-01', until: '2100-01-01' })[0]!.comment).toBeNull();
  });

  it('exports the same figures as CSV and terminal tables', () => {
    journeys();
    const f = computeFigures(store, DAY);
    const csv = toCsv(f).trim().split('\r\n');
    expect(csv[0]).toBe('section,fix,step,metric,value,since,until');
    expect(csv).toHaveLength(figureRows(f).length + 1);
    expect(csv).toContain(`outcome,,,android,1,${DAY.since},${DAY.until}`);
    expect(formatTables(f)).toMatch(/storage\s+2\s+1\s+0\s+0\s+50\.0%/);
  });
});
