/**
 * npm run fuzz — malformed requests over every route and the WebSocket upgrade
 * against the real bot process (node dist/src/index.js), seeded and bounded.
 *
 *   npm run fuzz -- [--seed N] [--count N] [--seconds N] [--max-rss-mb N]
 *
 * Fails (exit 1) on any process exit, any 5xx, any internal text in an error
 * body, RSS over the bound, anything left in the process's TMPDIR, or a bot
 * that no longer answers a normal conversation afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoopbackChannel } from '../src/channels/loopback';
import { PROJECT_ROOT } from '../src/project';
import { directLineTarget } from './fuzz/direct-line-target';
import { describeReport, runFuzz } from './fuzz/run';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

/** Resident set size of a process, from /proc (Linux); undefined elsewhere. */
function rssBytes(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const seed = option('seed', 8);
  const count = option('count', 12_000);
  const seconds = option('seconds', 300);
  const maxRssMb = option('max-rss-mb', 400);
  const tmp = mkdtempSync(join(tmpdir(), 'fuzz-'));
  const botTmp = join(tmp, 'tmp');
  const dataDir = join(tmp, 'data');
  mkdirSync(botTmp);
  mkdirSync(dataDir);

  const child = spawn(process.execPath, ['--disable-warning=DEP0111', join(PROJECT_ROOT, 'dist', 'src', 'index.js')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TMPDIR: botTmp, LOG_LEVEL: 'info', APPLE_STATUS_URL: 'http://127.0.0.1:9/status.js' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exit: string | undefined;
  child.on('exit', (code, signal) => (exit = `code ${code}, signal ${signal}`));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the last 64 KB of the bot's log for the report; the listening line comes first.
      stderr = (stderr + chunk.toString('utf8')).slice(-65536);
      const match = /"message":"bot listening".*?"url":"([^"]+)"/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`the bot exited before listening:\n${stderr}`)));
  });

  const channel = await LoopbackChannel.start({ botEndpoint: `${url}/api/messages` });
  let maxRss = rssBytes(child.pid!) ?? 0;
  const startRss = maxRss;
  const sample = () => (maxRss = Math.max(maxRss, rssBytes(child.pid!) ?? 0));
  const sampler = setInterval(sample, 200);
  const report = await runFuzz({
    baseUrl: url,
    targets: { serviceUrl: channel.serviceUrl, directLine: await directLineTarget(url) },
    seed,
    count,
    timeBudgetMs: seconds * 1000,
    onProgress: (sent) => process.stdout.write(`  ${sent} sent, RSS ${(sample() / 2 ** 20).toFixed(0)} MB\n`),
  });
  clearInterval(sampler);
  sample();

  // Afterwards: a normal conversation still works.
  const conversation = `after-fuzz-${Date.now()}`;
  const hello = exit ? undefined : await channel.sendText(conversation, 'hello').catch(() => undefined);
  const replies = channel.received(conversation).filter((a) => a.type === 'message').length;
  const leftInTmp = readdirSync(botTmp);

  const problems: string[] = [];
  if (exit) problems.push(`the bot process exited (${exit})`);
  if (report.serverErrors.length > 0) problems.push(`${report.serverErrors.length} answers were 5xx`);
  if (report.leaks.length > 0) problems.push(`${report.leaks.length} error bodies carried internal text`);
  if (maxRss > maxRssMb * 2 ** 20) problems.push(`RSS reached ${(maxRss / 2 ** 20).toFixed(0)} MB (bound ${maxRssMb} MB)`);
  if (leftInTmp.length > 0) problems.push(`TMPDIR gained ${leftInTmp.length} entries`);
  if (hello?.status !== 200 || replies === 0) problems.push('the bot did not answer a normal conversation afterwards');
  if (report.sent < count && report.sent < 10_000) problems.push(`only ${report.sent} requests were sent within ${seconds} s`);

  console.log(`\nfuzz: seed ${seed}, count ${count}, time bound ${seconds} s`);
  console.log(describeReport(report));
  console.log(`process exits: ${exit ? 1 : 0}`);
  console.log(`RSS: ${(startRss / 2 ** 20).toFixed(0)} MB at start, ${(maxRss / 2 ** 20).toFixed(0)} MB at most (bound ${maxRssMb} MB)`);
  console.log(`TMPDIR entries after: ${leftInTmp.length}`);
  console.log(`normal conversation afterwards: ${hello?.status ?? 'no answer'}, ${replies} replies`);
  console.log(problems.length === 0 ? 'fuzz: passed' : `fuzz: FAILED\n  - ${problems.join('\n  - ')}`);

  await channel.close();
  if (!exit) child.kill('SIGTERM');
  await new Promise((resolve) => (exit ? resolve(undefined) : child.once('exit', resolve)));
  if (problems.length === 0) rmSync(tmp, { recursive: true, force: true });
  else {
    writeFileSync(join(tmp, 'bot-stderr.log'), stderr);
    console.log(`the end of the bot's log and its data are kept in ${tmp}`);
  }
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
