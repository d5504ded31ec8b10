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
 * Options: --rounds R, --duration S, --connections C, --conversations N.
 *
 * Other runs (bench/journeys.ts):
 * - `--journeys N`: N simulated users (1,000) walk a fix to success, or all
 *   of them to escalation, typing their answers, C at a time, over
 *   POST /api/messages; per-turn latency, CPU per turn, and every journey's
 *   ending checked (a failed journey is counted, with the first one shown).
 * - `--directline`: the echo bot under autocannon and the same journeys (N,
 *   default 300) over the built-in Direct Line's token, conversation and
 *   WebSocket, interleaved.
 * - `--baseline DIR`: also runs another build of this bot (a checkout with
 *   dist/ built and node_modules) beside this one, for before/after figures.
 * - `--cpu-prof`: this bot writes a V8 CPU profile into bench-profiles/.
 * - `--instances 1,2,3`: this bot on Redis with that many instances beside
 *   one on SQLite (bench/instances.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Agent } from 'undici';

import { connectorTransport, directLineTransport, runJourneys, startConnector } from './journeys';
import type { JourneyFigures } from './journeys';
import { benchInstances, instanceCounts } from './instances';
import { alternatingTurns, cpuSeconds, flag, forkReady, freePort, median, option, ROOT, rssMb, startThisBot, stopAll, textOption } from './support';

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
  /** The server's CPU time per turn, ms. */
  cpuMs: number;
}

/** One load run against one server: conversations alternate a complaint and "yes". */
async function load(server: Server, connector: string, o: { duration: number; connections: number; conversations: number; run: string }): Promise<Figures> {
  const cpuBefore = cpuSeconds(server.child.pid!);
  const result = await autocannon({
    url: `${server.url}/api/messages`,
    method: 'POST',
    connections: o.connections,
    duration: o.duration,
    headers: { 'content-type': 'application/json' },
    requests: alternatingTurns({ conversations: o.conversations, run: o.run, connector }),
  });
  return {
    turnsPerSecond: result.requests.total / o.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rss: rssMb(server.child.pid!),
    cpuMs: ((cpuSeconds(server.child.pid!) - cpuBefore) * 1000) / Math.max(1, result.requests.total),
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** The table of autocannon figures, median of the rounds, with the ratios to the first two servers. */
function printTable(servers: Server[], figures: Map<string, Figures[]>, rounds: number): void {
  const summary = servers.map((s) => {
    const fs = figures.get(s.name)!;
    return { name: s.name, tps: median(fs.map((f) => f.turnsPerSecond)), p50: median(fs.map((f) => f.p50)), p99: median(fs.map((f) => f.p99)), rss: Math.max(...fs.map((f) => f.rss)), cpu: median(fs.map((f) => f.cpuMs)), errors: fs.reduce((n, f) => n + f.errors, 0) };
  });
  const [echo, dialog] = summary;
  console.log(`\n| server (median of ${rounds} rounds) | turns/s | p50 | p99 | RSS | CPU per turn | × echo turns/s | × dialog bot turns/s | errors |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of summary) {
    console.log(`| ${s.name} | ${s.tps.toFixed(0)} | ${s.p50} ms | ${s.p99} ms | ${s.rss.toFixed(0)} MB | ${s.cpu.toFixed(2)} ms | ${(s.tps / echo!.tps).toFixed(2)} | ${dialog ? (s.tps / dialog.tps).toFixed(2) : '–'} | ${s.errors} |`);
  }
}

const describe = (f: JourneyFigures) =>
  `${f.journeys} journeys, ${f.turns} turns in ${f.seconds.toFixed(1)} s: ${f.turnsPerSecond.toFixed(0)} turns/s, p50 ${f.p50} ms, p95 ${f.p95} ms, p99 ${f.p99} ms, failed journeys ${f.errors}${f.firstError ? `\nfirst failure: ${f.firstError}` : ''}`;

/** The reference bots and both runs of this bot under autocannon, interleaved. */
async function compare(o: { rounds: number; duration: number; connections: number; conversations: number; dataDir: string; children: ChildProcess[] }): Promise<void> {
  const connectorPort = await freePort();
  o.children.push(await forkReady(join(__dirname, 'reference', 'fake-connector.js'), [String(connectorPort)]));
  const connector = `http://127.0.0.1:${connectorPort}`;
  const servers = await referenceBots(o.children);
  // This bot as shipped, and with insights off: what recording outcomes costs a turn.
  for (const [name, insights] of [
    ['this bot (npm start, SQLite state)', 'on'],
    ['this bot, INSIGHTS=off', 'off'],
  ] as const) {
    const bot = await startThisBot({ DATA_DIR: join(o.dataDir, insights), INSIGHTS: insights }, profileArgs(insights));
    o.children.push(bot.child);
    servers.push({ name, url: bot.url, child: bot.child });
  }
  const baseline = textOption('baseline');
  if (baseline) {
    const bot = await startThisBot({ DATA_DIR: join(o.dataDir, 'baseline') }, [], baseline);
    o.children.push(bot.child);
    servers.push({ name: `baseline: ${baseline} (as shipped)`, url: bot.url, child: bot.child });
  }
  const figures = new Map<string, Figures[]>(servers.map((s) => [s.name, []]));
  for (const s of servers) await load(s, connector, { duration: 1, connections: o.connections, conversations: o.conversations, run: `warm-${servers.indexOf(s)}` });
  for (let r = 0; r < o.rounds; r++) {
    for (const s of servers) {
      const f = await load(s, connector, { duration: o.duration, connections: o.connections, conversations: o.conversations, run: `r${r}-${servers.indexOf(s)}` });
      figures.get(s.name)!.push(f);
      console.log(`round ${r + 1} · ${s.name}: ${f.turnsPerSecond.toFixed(0)} turns/s, p50 ${f.p50} ms, p99 ${f.p99} ms, RSS ${f.rss.toFixed(0)} MB, CPU ${f.cpuMs.toFixed(2)} ms/turn, errors ${f.errors}`);
    }
  }
  printTable(servers, figures, o.rounds);
  const replies = (await (await fetch(`${connector}/count`)).json()) as { replies: number };
  console.log(`\nreplies received by the fake connector: ${replies.replies}`);
}

async function referenceBots(children: ChildProcess[], which: readonly string[] = ['echo-bot.js', 'dialog-bot.js']): Promise<Server[]> {
  const names = new Map([
    ['echo-bot.js', 'echo bot (CloudAdapter, one reply)'],
    ['dialog-bot.js', 'echo + state + 3-step confirm waterfall'],
  ]);
  const servers: Server[] = [];
  for (const file of which) {
    const port = await freePort();
    const child = await forkReady(join(__dirname, 'reference', file), [String(port)]);
    children.push(child);
    servers.push({ name: names.get(file)!, url: `http://127.0.0.1:${port}`, child });
  }
  return servers;
}

/** `--cpu-prof`: this bot writes a V8 CPU profile into bench-profiles/ when it exits. */
function profileArgs(name: string): string[] {
  if (!flag('cpu-prof')) return [];
  console.log(`CPU profile of this bot (${name}) goes to ${join(ROOT, 'bench-profiles')}`);
  return ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench-profiles')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

/** `--journeys N`: N users walking fixes over the connector's transport, C at a time (with `--baseline`, both builds in turn). */
async function journeys(o: { users: number; rounds: number; connections: number; dataDir: string; children: ChildProcess[] }): Promise<void> {
  const connector = await startConnector();
  const agent = new Agent({ connections: o.connections, keepAliveTimeout: 10_000 });
  try {
    const bots: Array<{ name: string; url: string; child: ChildProcess; runs: Array<JourneyFigures & { cpuMs: number }>; rss: number }> = [];
    const baseline = textOption('baseline');
    for (const [name, root] of [...(baseline ? [[`baseline: ${baseline}`, baseline]] : []), ['this bot, POST /api/messages + fake connector', ROOT]] as const) {
      const bot = await startThisBot({ DATA_DIR: join(o.dataDir, `journeys-${bots.length}`), APPLE_STATUS_URL: connector.appleUrl }, root === ROOT ? profileArgs('journeys') : [], root);
      o.children.push(bot.child);
      bots.push({ name, ...bot, runs: [], rss: 0 });
      await runJourneys(Math.min(40, o.users), o.connections, connectorTransport(bot.url, connector, `warm-${bots.length}`, agent));
    }
    for (let r = 0; r < o.rounds; r++) {
      for (const [i, bot] of bots.entries()) {
        const cpuBefore = cpuSeconds(bot.child.pid!);
        const f = await runJourneys(o.users, o.connections, connectorTransport(bot.url, connector, `r${r}-${i}`, agent));
        const cpuMs = ((cpuSeconds(bot.child.pid!) - cpuBefore) * 1000) / Math.max(1, f.turns);
        bot.runs.push({ ...f, cpuMs });
        bot.rss = Math.max(bot.rss, rssMb(bot.child.pid!));
        console.log(`round ${r + 1} · ${bot.name}: ${describe(f)}, CPU ${cpuMs.toFixed(2)} ms/turn`);
      }
    }
    console.log(`\n| journeys (typed, ${o.connections} users at a time, median of ${o.rounds}) | turns | turns/s | p50 | p95 | p99 | RSS | CPU per turn | failed journeys |`);
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const b of bots) {
      const m = (k: 'turnsPerSecond' | 'p50' | 'p95' | 'p99' | 'cpuMs') => Math.round(median(b.runs.map((f) => f[k])) * 100) / 100;
      console.log(`| ${b.name} | ${b.runs[0]!.turns} | ${m('turnsPerSecond').toFixed(0)} | ${m('p50')} ms | ${m('p95')} ms | ${m('p99')} ms | ${b.rss.toFixed(0)} MB | ${m('cpuMs').toFixed(2)} ms | ${b.runs.reduce((n, f) => n + f.errors, 0)} of ${o.users * o.rounds} |`);
    }
    await stopAll(o.children.splice(0));
  } finally {
    await agent.close();
    await connector.close();
  }
}

/** `--directline`: the echo bot under autocannon and this bot's journeys over the built-in Direct Line, interleaved. */
async function directLine(o: { rounds: number; duration: number; users: number; connections: number; conversations: number; dataDir: string; children: ChildProcess[] }): Promise<void> {
  const connectorPort = await freePort();
  o.children.push(await forkReady(join(__dirname, 'reference', 'fake-connector.js'), [String(connectorPort)]));
  const fakeConnector = `http://127.0.0.1:${connectorPort}`;
  const apple = await startConnector(); // only its Apple feed
  const agent = new Agent({ connections: o.connections * 2, keepAliveTimeout: 10_000 });
  try {
    const [echo] = await referenceBots(o.children, ['echo-bot.js']);
    const env = { APPLE_STATUS_URL: apple.appleUrl, DIRECT_LINE_BUILTIN_SECRET: 'bench-builtin-secret-0123456789abcdef0123456789', DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '10000' };
    const baseline = textOption('baseline');
    const bots: Array<{ name: string; url: string; child: ChildProcess; runs: Array<JourneyFigures & { cpuMs: number; rss: number }> }> = [];
    for (const [name, root] of [...(baseline ? [[`baseline: ${baseline}`, baseline]] : []), ['this bot, built-in Direct Line (WebSocket)', ROOT]] as const) {
      const bot = await startThisBot({ ...env, DATA_DIR: join(o.dataDir, `directline-${bots.length}`) }, root === ROOT ? profileArgs('directline') : [], root);
      o.children.push(bot.child);
      bots.push({ name, ...bot, runs: [] });
      await runJourneys(Math.min(40, o.users), o.connections, directLineTransport(bot.url, agent));
    }
    const echoFigures: Figures[] = [];
    await load(echo!, fakeConnector, { duration: 1, connections: o.connections, conversations: o.conversations, run: 'warm' });
    for (let r = 0; r < o.rounds; r++) {
      const e = await load(echo!, fakeConnector, { duration: o.duration, connections: o.connections, conversations: o.conversations, run: `r${r}` });
      echoFigures.push(e);
      console.log(`round ${r + 1} · ${echo!.name}: ${e.turnsPerSecond.toFixed(0)} turns/s, p50 ${e.p50} ms, p99 ${e.p99} ms, CPU ${e.cpuMs.toFixed(2)} ms/turn, errors ${e.errors}`);
      for (const bot of bots) {
        const cpuBefore = cpuSeconds(bot.child.pid!);
        const f = await runJourneys(o.users, o.connections, directLineTransport(bot.url, agent));
        const cpuMs = ((cpuSeconds(bot.child.pid!) - cpuBefore) * 1000) / Math.max(1, f.turns);
        bot.runs.push({ ...f, cpuMs, rss: rssMb(bot.child.pid!) });
        console.log(`round ${r + 1} · ${bot.name}: ${describe(f)}, CPU ${cpuMs.toFixed(2)} ms/turn`);
      }
    }
    const echoTps = median(echoFigures.map((f) => f.turnsPerSecond));
    const ms = (x: number) => `${Math.round(x * 10) / 10} ms`;
    console.log(`\n| server (median of ${o.rounds} rounds) | load | turns/s | p50 | p95 | p99 | RSS | CPU per turn | × echo turns/s | errors |`);
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    console.log(`| ${echo!.name} | autocannon, ${o.connections} connections | ${echoTps.toFixed(0)} | ${ms(median(echoFigures.map((f) => f.p50)))} | – | ${ms(median(echoFigures.map((f) => f.p99)))} | ${Math.max(...echoFigures.map((f) => f.rss)).toFixed(0)} MB | ${median(echoFigures.map((f) => f.cpuMs)).toFixed(2)} ms | 1.00 | ${echoFigures.reduce((n, f) => n + f.errors, 0)} |`);
    for (const b of bots) {
      const m = (k: 'turnsPerSecond' | 'p50' | 'p95' | 'p99' | 'cpuMs') => median(b.runs.map((f) => f[k]));
      console.log(`| ${b.name} | ${o.users} typed journeys, ${o.connections} users at a time | ${m('turnsPerSecond').toFixed(0)} | ${ms(m('p50'))} | ${ms(m('p95'))} | ${ms(m('p99'))} | ${Math.max(...b.runs.map((f) => f.rss)).toFixed(0)} MB | ${m('cpuMs').toFixed(2)} ms | ${(m('turnsPerSecond') / echoTps).toFixed(2)} | ${b.runs.reduce((n, f) => n + f.errors, 0)} failed journeys |`);
    }
    await stopAll(o.children.splice(0));
  } finally {
    await agent.close();
    await apple.close();
  }
}

async function main(): Promise<void> {
  if (flag('instances')) return benchInstances(instanceCounts(process.argv));
  const rounds = option('rounds', flag('journeys') && !flag('directline') ? 1 : 2);
  const duration = option('duration', 6);
  const connections = option('connections', 10);
  const conversations = option('conversations', 1000);
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} · ${rounds} rounds × ${duration} s · ${connections} connections · ${conversations} conversations`);
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  try {
    if (flag('journeys') && !flag('directline')) await journeys({ users: option('journeys', 1000), rounds: option('rounds', 1), connections, dataDir, children });
    else if (flag('directline')) await directLine({ rounds, duration, users: option('journeys', 300), connections, conversations, dataDir, children });
    else await compare({ rounds, duration, connections, conversations, dataDir, children });
  } finally {
    await stopAll(children);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
