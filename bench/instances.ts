/**
 * `npm run bench -- --instances 1,2,3`: this bot on Redis (REDIS_URL) with 1,
 * 2 and 3 instances beside one instance on SQLite, in one interleaved run.
 *
 * One redis-server of the bench's own (no persistence), the bots as
 * `npm start` runs them (dist/src/index.js), replies to the fake connector.
 * The load is split over a set's instances the way a round-robin load
 * balancer would: one autocannon per instance, the connections shared out,
 * and one request counter for all of them, so consecutive turns of a
 * conversation land on different instances. p99 is the worst instance's p99
 * (autocannon keeps no raw latencies to merge). On a 2-core machine the point
 * is that nothing breaks and the cost of Redis is known, not linear scaling.
 *
 * Options (as `npm run bench`): --rounds R, --duration S, --connections C, --conversations N.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { freePort, option } from './support';

const ROOT = join(__dirname, '..', '..');
const COMPLAINT = 'my whatsapp backup to icloud is not working';

/** The instance counts asked for with `--instances 1,2,3`. */
export function instanceCounts(argv: string[]): number[] {
  const at = argv.indexOf('--instances');
  const counts = (argv[at + 1] ?? '').split(',').map(Number);
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new Error('--instances takes counts from 1 to 8, e.g. 1,2,3');
  return counts;
}

interface Setup {
  name: string;
  urls: string[];
}

interface Figures {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function until(what: string, ok: () => Promise<boolean>, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: exited with ${child.exitCode}`);
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready`);
}

/** One load run against a set of instances; the counter is shared so a conversation moves between them. */
async function load(setup: Setup, connector: string, o: { duration: number; connections: number; conversations: number; run: string }): Promise<Figures> {
  let n = 0;
  const per = setup.urls.map((_, i) => Math.max(1, Math.floor(o.connections / setup.urls.length) + (i < o.connections % setup.urls.length ? 1 : 0)));
  const results = await Promise.all(
    setup.urls.map((url, i) =>
      autocannon({
        url: `${url}/api/messages`,
        method: 'POST',
        connections: per[i]!,
        duration: o.duration,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => {
              const k = n++;
              const c = k % o.conversations;
              const text = Math.floor(k / o.conversations) % 2 === 0 ? COMPLAINT : 'yes';
              const activity = {
                type: 'message',
                id: `${o.run}-${k}`,
                timestamp: new Date().toISOString(),
                channelId: 'emulator',
                serviceUrl: connector,
                from: { id: `user-${c}`, name: 'User' },
                recipient: { id: 'bot', name: 'Bot' },
                conversation: { id: `${o.run}-conversation-${c}` },
                locale: 'en-US',
                text,
              };
              return { ...request, body: JSON.stringify(activity) };
            },
          },
        ],
      }),
    ),
  );
  return {
    turnsPerSecond: results.reduce((t, r) => t + r.requests.total, 0) / o.duration,
    p50: median(results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((t, r) => t + r.errors + r.non2xx + r.timeouts, 0),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchInstances(counts: number[]): Promise<void> {
  const rounds = option('rounds', 2);
  const duration = option('duration', 6);
  const connections = option('connections', 10);
  const conversations = option('conversations', 1000);
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · ${rounds} rounds × ${duration} s · ${connections} connections · ${conversations} conversations · instances on Redis: ${counts.join(', ')}`);

  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-instances-'));
  let probe: Redis | undefined;
  try {
    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dataDir], { stdio: 'ignore' });
    children.push(redis);
    probe = new Redis(redisPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    probe.on('error', () => undefined); // refused until redis-server listens: `until` retries
    await until('redis-server', async () => (await probe!.ping()) === 'PONG', redis);

    const connectorPort = await freePort();
    const connectorChild = fork(join(__dirname, 'reference', 'fake-connector.js'), [String(connectorPort)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(connectorChild);
    await new Promise((resolve) => connectorChild.once('message', resolve));
    const connector = `http://127.0.0.1:${connectorPort}`;

    let started = 0;
    const startBot = async (env: Record<string, string>): Promise<string> => {
      const port = await freePort();
      const own = join(dataDir, `bot-${started++}`);
      // The first bot trains the NLU; the others start from its cached model, as a redeploy would.
      if (started > 1) cpSync(join(dataDir, 'bot-0', 'nlu-models'), join(own, 'nlu-models'), { recursive: true });
      const child = spawn(process.execPath, ['--disable-warning=DEP0111', join(ROOT, 'dist', 'src', 'index.js')], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: own, LOG_LEVEL: 'error', APPLE_STATUS_URL: 'http://127.0.0.1:9/unreachable', ...env },
      });
      children.push(child);
      const url = `http://127.0.0.1:${port}`;
      await until(url, async () => (await fetch(`${url}/readyz`)).ok, child);
      return url;
    };

    const setups: Setup[] = [{ name: '1 instance, SQLite (no REDIS_URL)', urls: [await startBot({ REDIS_URL: '' })] }];
    for (const count of counts) {
      const urls = await Promise.all(Array.from({ length: count }, () => startBot({ REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_KEY_PREFIX: `bench${count}:` })));
      setups.push({ name: `${count} instance${count > 1 ? 's' : ''}, Redis`, urls });
    }

    const figures = new Map<string, Figures[]>(setups.map((s) => [s.name, []]));
    for (const s of setups) await load(s, connector, { duration: 1, connections, conversations, run: `warm-${setups.indexOf(s)}` });
    for (let r = 0; r < rounds; r++) {
      for (const s of setups) {
        const f = await load(s, connector, { duration, connections, conversations, run: `r${r}-${setups.indexOf(s)}` });
        figures.get(s.name)!.push(f);
        console.log(`round ${r + 1} · ${s.name}: ${f.turnsPerSecond.toFixed(0)} turns/s, p50 ${f.p50} ms, p99 ${f.p99} ms, errors ${f.errors}`);
      }
    }

    const summary = setups.map((s) => {
      const fs = figures.get(s.name)!;
      return { name: s.name, tps: median(fs.map((f) => f.turnsPerSecond)), p50: median(fs.map((f) => f.p50)), p99: median(fs.map((f) => f.p99)), errors: fs.reduce((n, f) => n + f.errors, 0) };
    });
    const sqlite = summary[0]!;
    console.log(`\n| setup (median of ${rounds} rounds) | turns/s | p50 | p99 | × SQLite turns/s | errors |`);
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const s of summary) console.log(`| ${s.name} | ${s.tps.toFixed(0)} | ${s.p50} ms | ${s.p99} ms | ${(s.tps / sqlite.tps).toFixed(2)} | ${s.errors} |`);
    const replies = (await (await fetch(`${connector}/count`)).json()) as { replies: number };
    console.log(`\nreplies received by the fake connector: ${replies.replies}`);
  } finally {
    probe?.disconnect();
    // The bots first, then the connector, Redis last: a turn in flight must still find both.
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
