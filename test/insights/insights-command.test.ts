import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { insightsCommand } from '../../src/cli/insights';
import { loadConfig } from '../../src/config';
import Redis from 'ioredis';
import { RedisInsightsStore } from '../../src/insights/redis-insights-store';
import { SqliteInsightsStore } from '../../src/insights/sqlite-insights-store';
import { closeClients, startRedis } from '../support/redis-server';
import { parsePeriod } from '../../src/insights/period';

const ROOT = join(__dirname, '..', '..');
const NOW = new Date('2026-11-26T12:00:00.000Z');

describe('npm run insights', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'insights-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = () => ({ ...loadConfig({ DATA_DIR: dataDir }, ROOT) });

  it('prints the tables of the period asked for, and CSV with --csv, from the bot\'s database', async () => {
    const db = new Database(join(dataDir, 'state.sqlite'));
    const store = new SqliteInsightsStore(db);
    await store.record({ conversation: 'in', kind: 'resolved', fix: 'restart_iphone', at: '2026-11-25T10:00:00.000Z' });
    await store.record({ conversation: 'old', kind: 'escalated', at: '2026-11-01T10:00:00.000Z' });
    db.close();

    const tables = await insightsCommand(['--since', '7d'], config(), NOW);
    expect(tables.exitCode).toBe(0);
    expect(tables.stdout).toMatch(/1 conversations/);
    expect(tables.stdout).toMatch(/resolved\s+1\s+100\.0%/);
    expect(tables.stdout).toMatch(/escalated\s+0/);

    const csv = await insightsCommand(['--since', '30d', '--csv'], config(), NOW);
    expect(csv.stdout.split('\r\n')).toContain('outcome,,,escalated,1,2026-10-27T12:00:00.000Z,2026-11-26T12:00:00.000Z');
  });

  it('reads what every instance shares in Redis when REDIS_URL is set (nothing from DATA_DIR)', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url);
    try {
      const store = new RedisInsightsStore(client, 'cli:');
      await store.record({ conversation: 'shared', kind: 'android', at: '2026-11-25T10:00:00.000Z' });
      await store.record({ conversation: 'shared-2', kind: 'resolved', fix: 'restart_iphone', at: '2026-11-25T11:00:00.000Z' });
      const shared = { ...loadConfig({ DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'cli:' }, ROOT) };
      const csv = await insightsCommand(['--since', '7d', '--csv'], shared, NOW);
      expect(csv.exitCode).toBe(0);
      expect(csv.stdout.split('\r\n')).toEqual(expect.arrayContaining([expect.stringMatching(/^summary,,,conversations,2,/), expect.stringMatching(/^outcome,,,android,1,/)]));
      const other = await insightsCommand(['--since', '7d'], { ...shared, redis: { ...shared.redis, keyPrefix: 'other:' } }, NOW);
      expect(other.stdout).toMatch(/0 conversations/);
    } finally {
      await closeClients([client]);
      await redis.stop();
    }
  });

  it('says plainly when there is no data yet or the period is malformed', async () => {
    expect(await insightsCommand(['--since', '7d'], config(), NOW)).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/No data yet/) });
    expect(await insightsCommand(['--since', 'last tuesday'], config(), NOW)).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/--since must be like 7d/) });
  });

  it('reads periods as people type them', () => {
    expect(parsePeriod('24h', undefined, NOW)).toEqual({ since: '2026-11-25T12:00:00.000Z', until: NOW.toISOString() });
    expect(parsePeriod('2026-11-01', '2026-11-02', NOW)).toEqual({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' });
    expect(() => parsePeriod('2026-11-03', '2026-11-02', NOW)).toThrow(/empty/);
  });
});
