import Database from 'better-sqlite3';
import { HandoffStore } from '../../src/handoff/handoff-store';
import type { HandoffSummary } from '../../src/handoff/types';

const SUMMARY: HandoffSummary = {
  fixesTried: [{ fix: 'icloud-access', title: 'Let WhatsApp use iCloud', steps: [{ step: 'open-icloud', prompt: 'Open Settings', answer: 'Done ("done, mail me at ann@example.com")' }], outcome: 'not solved' }],
  sizes: [],
  devices: [],
  firstMessage: 'backup broken, call me on +44 7700 900123',
  lastUserMessages: ['ann@example.com is my address'],
  channel: 'emulator',
};

describe('HandoffStore and what users wrote', () => {
  let db: Database.Database;
  let store: HandoffStore;
  beforeEach(() => {
    db = new Database(':memory:');
    store = new HandoffStore(db);
  });
  afterEach(() => db.close());

  it('stores the summary redacted', () => {
    const record = store.create({ conversationId: 'c1', channelId: 'emulator', userName: 'Ann', summary: SUMMARY, reference: {} });
    const stored = store.get(record.id)!.summary;
    expect(stored.firstMessage).toBe('backup broken, call me on [phone]');
    expect(stored.lastUserMessages).toEqual(['[email] is my address']);
    expect(stored.fixesTried[0]!.steps[0]!.answer).toBe('Done ("done, mail me at [email]")');
  });

  it('forgets the left message and the summary\'s quotes on "delete my data", keeping states and times', () => {
    const record = store.create({ conversationId: 'c1', channelId: 'emulator', userName: 'Ann', summary: SUMMARY, reference: {} });
    store.setLeftMessage(record.id, 'please call me back');
    expect(store.forgetUserText('c1')).toBe(1);
    const after = store.get(record.id)!;
    expect(after.leftMessage).toBeUndefined();
    expect(after.summary).toMatchObject({ firstMessage: '', lastUserMessages: [], fixesTried: [{ fix: 'icloud-access', steps: [], outcome: 'not solved' }] });
    expect(after).toMatchObject({ state: 'waiting', requestedAt: record.requestedAt });
    expect(store.forgetUserText('someone-else')).toBe(0);
  });
});
