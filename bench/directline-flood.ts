/**
 * `npm run bench:directline`: the built-in Direct Line under a flood of new
 * conversations, measured from outside. Prints figures, asserts nothing.
 *
 * Starts the bot (dist/src/index.js) in its own process, opens N
 * conversations (default 5,000, the figure) as fast as C client
 * sockets allow (default 500), and samples the server's open file
 * descriptors (`ls /proc/<pid>/fd | wc -l`) and resident memory
 * (/proc/<pid>/status) meanwhile. A welcome counts as delivered when the
 * bot's SQLite state says it welcomed that conversation; one never welcomed
 * within 60 s of the flood's end counts as lost.
 *
 * Options: --conversations N, --connections C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Agent, fetch } from 'undici';

import { freePort, option } from './support';
const ROOT = join(__dirname, '..', '..');
const SECRET = 'bench-builtin-secret-0123456789abcdef0123456789';



const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function processFigures(pid: number): { fds: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { fds: readdirSync(`/proc/${pid}/fd`).length, rssMiB: Math.round(rssKiB / 1024) };
}

async function main(): Promise<void> {
  const conversations = option('conversations', 5000);
  const connections = option('connections', 500);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-dl-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', join(ROOT, 'dist', 'src', 'index.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DIRECT_LINE_BUILTIN_SECRET: SECRET },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const warnings: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => warnings.push(...chunk.split('\n').filter(Boolean)));
  try {
    for (let ready = false; !ready; await sleep(100)) ready = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    const before = processFigures(child.pid!);
    const peak = { ...before };
    const sampler = setInterval(() => {
      const now = processFigures(child.pid!);
      peak.fds = Math.max(peak.fds, now.fds);
      peak.rssMiB = Math.max(peak.rssMiB, now.rssMiB);
    }, 10);

    const agent = new Agent({ connections });
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    let busyWithoutRetryAfter = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: conversations }, async () => {
        const response = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}` }, dispatcher: agent });
        const body = (await response.json().catch(() => ({}))) as { conversationId?: string };
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201 && body.conversationId) accepted.push(body.conversationId);
        if (response.status === 429 && !/^\d+$/.test(response.headers.get('retry-after') ?? '')) busyWithoutRetryAfter += 1;
      }),
    );
    const floodSeconds = (Date.now() - started) / 1000;
    await agent.close();

    const db = new Database(join(dataDir, 'state.sqlite'), { readonly: true, fileMustExist: true });
    const welcomed = () => {
      const ids = new Set<string>();
      for (const { key, value } of db.prepare<[], { key: string; value: string }>('SELECT key, value FROM bot_storage').all()) {
        if (value.includes('"welcomed":true')) ids.add(key);
      }
      return accepted.filter((id) => ![...ids].some((key) => key.includes(id)));
    };
    let missing = welcomed();
    for (const deadline = Date.now() + 60_000; missing.length > 0 && Date.now() < deadline; await sleep(500)) missing = welcomed();
    clearInterval(sampler);
    db.close();

    const figures = {
      conversations,
      clientConnections: connections,
      floodSeconds,
      accepted: accepted.length,
      busy429: statuses.get(429) ?? 0,
      busyWithoutRetryAfter,
      otherStatuses: Object.fromEntries([...statuses].filter(([status]) => status !== 201 && status !== 429)),
      welcomesLost: missing.length,
      fdsBefore: before.fds,
      peakFds: peak.fds,
      rssBeforeMiB: before.rssMiB,
      peakRssMiB: peak.rssMiB,
      serverWarnings: warnings.length,
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    if (warnings.length > 0) process.stdout.write(`first server warnings:\n${warnings.slice(0, 5).join('\n')}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
