import Database from 'better-sqlite3';
import { RedisInsightsStore } from '../../src/insights/redis-insights-store';
import { SqliteInsightsStore } from '../../src/insights/sqlite-insights-store';
import { useTestRedis } from '../support/redis-server';
import { describeInsightsStoreContract } from './insights-store-contract';

describe('SqliteInsightsStore', () => {
  const open = new Map<SqliteInsightsStore, Database.Database>();
  describeInsightsStoreContract(
    async () => {
      const db = new Database(':memory:');
      const store = new SqliteInsightsStore(db);
      open.set(store, db);
      return store;
    },
    (store) => void open.get(store as SqliteInsightsStore)?.close(),
  );

  it('takes a database from before claimants were kept: the column is added, and earlier claims still hold', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE insight_csat_asked (conversation TEXT PRIMARY KEY NOT NULL, at TEXT NOT NULL)');
    db.prepare('INSERT INTO insight_csat_asked VALUES (?, ?)').run('earlier', '2026-11-01T00:00:00.000Z');
    const store = new SqliteInsightsStore(db);
    expect(await store.claimCsatQuestion('earlier', { by: 'm-1' })).toBe(false);
    expect(await store.claimCsatQuestion('later', { by: 'm-2' })).toBe(true);
    expect(await store.claimCsatQuestion('later', { by: 'm-2' })).toBe(true);
    new SqliteInsightsStore(db); // a second start finds the column there
    db.close();
  });
});

describe('RedisInsightsStore (a real redis-server of its own)', () => {
  const { client, freshPrefix } = useTestRedis();

  describe('the insights store contract', () => {
    // Each test gets its own prefix: an empty store without flushing the server.
    describeInsightsStoreContract(async () => new RedisInsightsStore(client(), freshPrefix()));
  });

  describe('two instances (two clients) on one Redis', () => {
    const pair = (): [RedisInsightsStore, RedisInsightsStore] => {
      const prefix = freshPrefix('pair');
      return [new RedisInsightsStore(client(), prefix), new RedisInsightsStore(client(), prefix)];
    };

    it('see each other\'s events, ratings and inbox', async () => {
      const [a, b] = pair();
      await a.record({ conversation: 'c', kind: 'fix_started', fix: 'f' });
      await b.record({ conversation: 'c', kind: 'resolved', fix: 'f' });
      await a.addToInbox({ conversation: 'c', text: 'hmm', reason: 'fallback', readings: [] });
      expect((await b.events('c')).map((e) => e.kind)).toEqual(['fix_started', 'resolved']);
      const [item] = await b.inbox('open');
      expect(await b.review(item!.id, 'dismiss')).toBe(true);
      expect(await a.inbox('dismissed')).toHaveLength(1);
    });

    it('take one rating per conversation when both record one at once', async () => {
      const [a, b] = pair();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).recordCsat({ conversation: 'c', score: 1 + (i % 5), after: 'fix' })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.csatIn({ since: '2000-01-01', until: '2100-01-01' })).toHaveLength(1);
    });

    it('let one of them put the rating question when both would at once', async () => {
      const [a, b] = pair();
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimCsatQuestion('c')));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('mark an idle conversation abandoned once when both run the pass at once', async () => {
      const [a, b] = pair();
      for (let i = 0; i < 20; i++) await a.record({ conversation: `c${i}`, kind: 'step_reached', fix: 'f', step: 's', at: '2026-11-01T00:00:00.000Z' });
      const idle = '2026-11-01T01:00:00.000Z';
      const marked = await Promise.all([a.markAbandoned(idle), b.markAbandoned(idle), a.markAbandoned(idle), b.markAbandoned(idle)]);
      expect(marked.reduce((x, y) => x + y, 0)).toBe(20);
      expect((await b.events('c7')).map((e) => e.kind)).toEqual(['step_reached', 'abandoned']);
    });

    it('keep stores with different prefixes apart', async () => {
      const a = new RedisInsightsStore(client(), freshPrefix('apart'));
      const b = new RedisInsightsStore(client(), freshPrefix('apart'));
      await a.record({ conversation: 'c', kind: 'escalated' });
      expect(await b.events('c')).toEqual([]);
    });
  });
});
