import Database from 'better-sqlite3';
import { TestAdapter, TurnContext } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';
import { createInsightsRecorder } from '../../src/insights/recorder';
import { SqliteInsightsStore } from '../../src/insights/sqlite-insights-store';

describe('the insights recorder', () => {
  const contextIn = (conversation: string): TurnContext =>
    new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', channelId: 'test', conversation: { id: conversation }, from: { id: 'u' }, recipient: { id: 'bot' } } as Activity);

  it('writes what the turn reported once the turn has completed, in order, and claims the rating question at once', async () => {
    const db = new Database(':memory:');
    const store = new SqliteInsightsStore(db);
    const recorder = createInsightsRecorder(store);
    const context = contextIn('c');
    await recorder.middleware.onTurn(context, async () => {
      recorder.listener.fixFinished!(context, 'restart', true);
      recorder.csat.rate(context, 4, 'fix');
      recorder.csat.comment(context, 'thanks');
      expect(await store.events('test:c')).toEqual([]);
      expect(await recorder.csat.claim(context)).toBe(true);
      expect(await recorder.csat.claim(context)).toBe(false);
    });
    expect((await store.events('test:c')).map((e) => e.kind)).toEqual(['resolved']);
    expect(await store.csatIn({ since: '2000-01-01', until: '2100-01-01' })).toEqual([expect.objectContaining({ score: 4, comment: 'thanks' })]);
    db.close();
  });

  it("claims the rating question for the activity being answered: that turn run again may still put it, another may not", async () => {
    const db = new Database(':memory:');
    const recorder = createInsightsRecorder(new SqliteInsightsStore(db));
    const withId = (id: string) => {
      const context = contextIn('c');
      context.activity.id = id;
      return context;
    };
    expect(await recorder.csat.claim(withId('m-1'))).toBe(true);
    expect(await recorder.csat.claim(withId('m-1'))).toBe(true);
    expect(await recorder.csat.claim(withId('m-2'))).toBe(false);
    db.close();
  });

  it('never fails the turn when the store does: the error is reported and no question is put', async () => {
    const db = new Database(':memory:');
    const errors: unknown[] = [];
    const recorder = createInsightsRecorder(new SqliteInsightsStore(db), (error) => errors.push(error));
    db.close();
    const context = contextIn('c');
    await expect(
      recorder.middleware.onTurn(context, async () => {
        recorder.listener.escalated!(context);
        expect(await recorder.csat.claim(context)).toBe(false);
      }),
    ).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
  });
});
