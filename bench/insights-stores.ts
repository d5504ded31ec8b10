/**
 * What the insights cost on each store: recording an event, and the figures
 * of a week (what /admin and `npm run insights` compute), on SQLite and on a
 * redis-server of the bench's own; and that both stores give the same figures.
 *
 *   npx ts-node --transpile-only bench/insights-stores.ts --conversations 25000
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import Redis from 'ioredis';
import { computeFigures } from '../src/insights/figures';
import type { InsightsStore } from '../src/insights/insights-store';
import { RedisInsightsStore } from '../src/insights/redis-insights-store';
import { SqliteInsightsStore } from '../src/insights/sqlite-insights-store';
import { freePort, option } from './support';

const WEEK = { since: new Date(Date.now() - 7 * 86_400_000).toISOString(), until: new Date().toISOString() };

/** Four events per conversation, as a fix walked to its end makes; milliseconds per event. */
async function fill(store: InsightsStore, conversations: number): Promise<number> {
  const started = process.hrtime.bigint();
  const base = Date.now() - 6 * 86_400_000;
  for (let c = 0; c < conversations; c++) {
    const at = (s: number) => new Date(base + c * 10_000 + s * 1000).toISOString();
    const conversation = `c${c}`;
    await store.record({ conversation, kind: 'fix_started', fix: 'icloud-storage', at: at(0) });
    await store.record({ conversation, kind: 'step_reached', fix: 'icloud-storage', step: 'check-space', at: at(1) });
    await store.record({ conversation, kind: c % 5 ? 'step_reached' : 'cant_find', fix: 'icloud-storage', step: 'free-space', at: at(2) });
    await store.record({ conversation, kind: c % 3 ? 'resolved' : 'fix_failed', fix: 'icloud-storage', at: at(3) });
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / (conversations * 4);
}

/** Median of five computations of the week's figures, in milliseconds. */
async function figuresMs(store: InsightsStore): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    await computeFigures(store, WEEK);
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return runs.sort((a, b) => a - b)[2]!;
}

async function main(): Promise<void> {
  const conversations = option('conversations', 2500);
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = new Redis(port, '127.0.0.1', { retryStrategy: (n) => (n < 50 ? 100 : null) });
  // Refused until redis-server has started: the retries cover it.
  client.on('error', () => undefined);
  const db = new Database(':memory:');
  try {
    await client.ping();
    const stores: [string, InsightsStore][] = [
      ['SQLite', new SqliteInsightsStore(db)],
      ['Redis', new RedisInsightsStore(client, 'bench:')],
    ];
    const figures: string[] = [];
    for (const [name, store] of stores) {
      const record = await fill(store, conversations);
      const ms = await figuresMs(store);
      figures.push(JSON.stringify(await computeFigures(store, WEEK)));
      console.log(`${name.padEnd(6)} ${conversations * 4} events: record ${record.toFixed(3)} ms/event, the week's figures ${ms.toFixed(0)} ms (median of 5)`);
    }
    console.log(`same figures from both stores: ${figures[0] === figures[1]}`);
  } finally {
    db.close();
    client.disconnect();
    server.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
