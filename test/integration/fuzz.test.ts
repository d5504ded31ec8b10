import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conversation, messagesText, oneMessage, startBot } from './harness';
import type { RunningBot } from './harness';
import { directLineTarget } from '../../scripts/fuzz/direct-line-target';
import { describeReport, runFuzz } from '../../scripts/fuzz/run';

/**
 * The short, seeded part of `npm run fuzz`, against the app in this process:
 * a few hundred malformed requests over every route and the WebSocket
 * upgrade. The full run (≥ 10,000, a separate process) is `npm run fuzz`.
 */

const text = messagesText();
let bot: RunningBot;
let ownTmp: string;
let savedTmp: string | undefined;

beforeAll(async () => {
  savedTmp = process.env.TMPDIR;
  ownTmp = mkdtempSync(join(tmpdir(), 'fuzz-tmp-'));
  process.env.TMPDIR = ownTmp; // os.tmpdir() follows it: anything written to "TMPDIR" lands here
  bot = await startBot();
});
afterAll(async () => {
  await bot?.close();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(ownTmp, { recursive: true, force: true });
});

test('400 seeded malformed requests: no 5xx, no internal text, nothing in TMPDIR, and the bot still talks', async () => {
  const report = await runFuzz({
    baseUrl: bot.url,
    targets: { serviceUrl: bot.channel.serviceUrl, directLine: await directLineTarget(bot.url) },
    seed: 8,
    count: 400,
    timeBudgetMs: 60_000,
    concurrency: 8,
    idleMs: 1000,
  });
  const summary = describeReport(report);
  expect({ sent: report.sent, serverErrors: report.serverErrors, leaks: report.leaks }).toEqual({ sent: 400, serverErrors: [], leaks: [] });
  expect(report.byStatus.get('400')).toBeGreaterThan(0); // the cases did reach the checks (a summary on failure: ${summary})
  expect(readdirSync(ownTmp)).toEqual([]);
  expect(bot.errors.map((e) => e.message)).toEqual([]);
  const turn = await new Conversation(bot.channel).say('hello');
  expect(turn.activities.map((a) => a.text)).toEqual([oneMessage(text.greeting, text.menu_prompt)]);
}, 90_000);
