import Database from 'better-sqlite3';
import { startHousekeeping } from '../../src/insights/housekeeping';
import { InsightsStore } from '../../src/insights/insights-store';

const T0 = Date.parse('2026-11-26T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('insights housekeeping', () => {
  let db: Database.Database;
  let store: InsightsStore;
  let now: number;
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    now = T0;
    db = new Database(':memory:');
    store = new InsightsStore(db);
  });
  afterEach(() => {
    jest.useRealTimers();
    db.close();
  });

  it('deletes what is past retention at start and then daily, here and in the other stores given', () => {
    store.record({ conversation: 'old', kind: 'escalated', at: iso(T0 - 31 * 86_400_000) });
    store.record({ conversation: 'recent', kind: 'escalated', at: iso(T0 - 29 * 86_400_000) });
    const transcriptCutoffs: string[] = [];
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now, alsoDelete: [(before) => (transcriptCutoffs.push(before), 0)] });
    expect(store.events('old')).toEqual([]);
    expect(store.events('recent')).toHaveLength(1);
    expect(transcriptCutoffs).toEqual([iso(T0 - 30 * 86_400_000)]);
    now += 3_600_000;
    jest.advanceTimersByTime(3_600_000);
    expect(transcriptCutoffs).toHaveLength(1);
    now += 86_400_000;
    jest.advanceTimersByTime(60_000);
    expect(transcriptCutoffs).toHaveLength(2);
    keeper.stop();
  });

  it('marks a conversation abandoned once it has been idle inside a fix for the configured time', () => {
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now });
    store.record({ conversation: 'c', kind: 'step_reached', fix: 'restart_iphone', step: 'hold-buttons', at: iso(now) });
    now += 29 * 60_000;
    jest.advanceTimersByTime(29 * 60_000);
    expect(store.events('c').map((e) => e.kind)).toEqual(['step_reached']);
    now += 2 * 60_000;
    jest.advanceTimersByTime(2 * 60_000);
    expect(store.events('c').map((e) => e.kind)).toEqual(['step_reached', 'abandoned']);
    keeper.stop();
  });

  it('reports a failing pass and keeps running', () => {
    const errors: unknown[] = [];
    const keeper = startHousekeeping({ store, retentionDays: 30, abandonAfterMinutes: 30, now: () => now, onError: (e) => errors.push(e) });
    db.close();
    jest.advanceTimersByTime(60_000);
    jest.advanceTimersByTime(60_000);
    expect(errors.length).toBe(2);
    keeper.stop();
    db = new Database(':memory:');
  });

  it('refuses a retention or idle time that is not positive', () => {
    expect(() => startHousekeeping({ store, retentionDays: 0, abandonAfterMinutes: 30 })).toThrow(RangeError);
  });
});
