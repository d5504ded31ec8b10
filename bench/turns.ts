/**
 * `npm run bench`: this bot's turns per second beside the plain Bot Framework
 * bots, in one interleaved run on the same machine. Prints figures, asserts
 * nothing (timed assertions flake on shared machines).
 *
 * Servers, each in its own process: the canonical echo bot and a minimal
 * dialog bot (bench/reference/), and this bot as `npm start` runs it
 * (dist/src/index.js, SQLite state in a fresh DATA_DIR). Replies go to a fake
 * connector (bench/reference/fake-connector.ts) in a process of its own.
 * Load: autocannon, C connections (10) for D seconds (6) of
 * `POST /api/messages`, N conversations (1,000) each alternating a complaint
 * and "yes" (this bot runs twice: as shipped and with INSIGHTS=off, to
 * show what recording insights costs). Rounds (2) interleave the servers so a noisy neighbour hits all
 * of them alike; every server gets a short warm-up first.
 *
 * Options: --rounds R, --duration S, --connections C, --conversations N;
 * --instances 1,2,3 runs bench/instances.ts (several instances on Redis) instead.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

import { freePort, option } from './support';
import { benchInstances, instanceCounts } from './instances';
const ROOT = join(__dirname, '..', '..');



/** A child that says 'ready' over IPC once it listens. */
function forkReady(file: string, args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/** Resident memory of a process now, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
}

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
}

interface Figures {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  rss: number;
  errors: number;
}

const COMPLAINT = 'my whatsapp backup to icloud is not working';

/** One load run against one server: conversations alternate a complaint and "yes". */
async function load(server: Server, connector: string, o: { duration: number; connections: number; conversations: number; run: string }): Promise<Figures> {
  let n = 0;
  const result = await autocannon({
    url: `${server.url}/api/messages`,
    method: 'POST',
    connections: o.connections,
    duration: o.duration,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const i = n++;
          const c = i % o.conversations;
          const text = Math.floor(i / o.conversations) % 2 === 0 ? COMPLAINT : 'yes';
          const activity = {
            type: 'message',
            id: `${o.run}-${i}`,
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
  });
  return {
    turnsPerSecond: result.requests.total / o.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rss: rssMb(server.child.pid!),
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  // --instances 1,2,3: this bot on Redis with that many instances beside one on SQLite, instead (bench/instances.ts).
  if (process.argv.includes('--instances')) return benchInstances(instanceCounts(process.argv));
  const rounds = option('rounds', 2);
  const duration = option('duration', 6);
  const connections = option('connections', 10);
  const conversations = option('conversations', 1000);
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · ${rounds} rounds × ${duration} s · ${connections} connections · ${conversations} conversations`);

  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  try {
    const connectorPort = await freePort();
    children.push(await forkReady(join(__dirname, 'reference', 'fake-connector.js'), [String(connectorPort)]));
    const connector = `http://127.0.0.1:${connectorPort}`;

    const servers: Server[] = [];
    for (const [name, file] of [
      ['echo bot (CloudAdapter, one reply)', 'echo-bot.js'],
      ['echo + state + 3-step confirm waterfall', 'dialog-bot.js'],
    ] as const) {
      const port = await freePort();
      const child = await forkReady(join(__dirname, 'reference', file), [String(port)]);
      children.push(child);
      servers.push({ name, url: `http://127.0.0.1:${port}`, child });
    }
    // This bot as shipped, and with insights off: what recording outcomes costs a turn.
    for (const [name, insights] of [
      ['this bot (npm start, SQLite state)', 'on'],
      ['this bot, INSIGHTS=off', 'off'],
    ] as const) {
      const botPort = await freePort();
      const bot = spawn(process.execPath, ['--disable-warning=DEP0111', join(ROOT, 'dist', 'src', 'index.js')], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, PORT: String(botPort), HOST: '127.0.0.1', DATA_DIR: join(dataDir, insights), LOG_LEVEL: 'error', INSIGHTS: insights, APPLE_STATUS_URL: 'http://127.0.0.1:9/unreachable' },
      });
      children.push(bot);
      const botUrl = `http://127.0.0.1:${botPort}`;
      await waitReady(`${botUrl}/readyz`, bot);
      servers.push({ name, url: botUrl, child: bot });
    }

    const figures = new Map<string, Figures[]>(servers.map((s) => [s.name, []]));
    for (const s of servers) await load(s, connector, { duration: 1, connections, conversations, run: `warm-${servers.indexOf(s)}` });
    for (let r = 0; r < rounds; r++) {
      for (const s of servers) {
        const f = await load(s, connector, { duration, connections, conversations, run: `r${r}-${servers.indexOf(s)}` });
        figures.get(s.name)!.push(f);
        console.log(`round ${r + 1} · ${s.name}: ${f.turnsPerSecond.toFixed(0)} turns/s, p50 ${f.p50} ms, p99 ${f.p99} ms, RSS ${f.rss.toFixed(0)} MB, errors ${f.errors}`);
      }
    }

    const summary = servers.map((s) => {
      const fs = figures.get(s.name)!;
      return { name: s.name, tps: median(fs.map((f) => f.turnsPerSecond)), p50: median(fs.map((f) => f.p50)), p99: median(fs.map((f) => f.p99)), rss: Math.max(...fs.map((f) => f.rss)), errors: fs.reduce((n, f) => n + f.errors, 0) };
    });
    const [echo, dialog] = summary;
    console.log(`\n| server (median of ${rounds} rounds) | turns/s | p50 | p99 | RSS | × echo turns/s | × dialog bot turns/s | errors |`);
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const s of summary) {
      console.log(`| ${s.name} | ${s.tps.toFixed(0)} | ${s.p50} ms | ${s.p99} ms | ${s.rss.toFixed(0)} MB | ${(s.tps / echo!.tps).toFixed(2)} | ${(s.tps / dialog!.tps).toFixed(2)} | ${s.errors} |`);
    }
    const replies = (await (await fetch(`${connector}/count`)).json()) as { replies: number };
    console.log(`\nreplies received by the fake connector: ${replies.replies}`);
  } finally {
    // The bots first, the connector last: a reply still in flight must find it.
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
