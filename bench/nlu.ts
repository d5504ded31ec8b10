/**
 * `npm run bench:nlu`: the NLU's speed figures. Prints, asserts nothing.
 *
 * - Start-up to ready: `node` on bench/nlu-startup.js in a fresh process, N
 *   times (default 5): elapsed from process start until intents/ are loaded,
 *   both models (intents, answers) are trained and a first message parsed;
 *   and the RSS the NLU adds, right after training and settled.
 * - Classification latency: every message of the independent split, the old
 *   split and the dev set × R repetitions (default 50) through `parse` (intent
 *   ranking + entities, what /api/nlu/parse does): the first pass (cold caches
 *   of spelling and word stand-ins) and the later ones, mean / p50 / p99 /
 *   max in ms. Texts are only timed, never printed.
 *
 * Options: --starts N, --reps R, --settle-ms MS (idle before the settled RSS, 12000).
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadNlu } from '../src/content/load-intents';
import { latencyStats } from '../scripts/baselines';
import type { LatencyStats } from '../scripts/baselines';
import { DEV_PATH, INDEPENDENT_PATH, INTENTS_DIR, loadHeldout, loadLabelled } from '../scripts/data';

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const f = (x: number): string => x.toFixed(3);
const row = (name: string, s: LatencyStats): string =>
  `${name.padEnd(26)} n=${String(s.samples).padEnd(6)} mean ${f(s.mean)}  p50 ${f(s.p50)}  p99 ${f(s.p99)}  max ${f(s.max)}  (ms)`;

function main(): void {
  const starts = argNumber('--starts', 5);
  const reps = argNumber('--reps', 50);
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}`);

  const entry = join(__dirname, 'nlu-startup.js');
  const ready: number[] = [];
  const train: number[] = [];
  const rss: number[] = [];
  const settled: number[] = [];
  const heap: number[] = [];
  const settleMs = argNumber('--settle-ms', 12_000);
  for (let i = 0; i < starts; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', entry, String(settleMs)], { encoding: 'utf8' });
    const m = JSON.parse(out.trim().split('\n').pop() as string) as {
      readyMs: number;
      trainMs: number;
      rssGrowthMb: number;
      settledRssGrowthMb: number;
      heapUsedMb: number;
    };
    ready.push(m.readyMs);
    train.push(m.trainMs);
    rss.push(m.rssGrowthMb);
    settled.push(m.settledRssGrowthMb);
    heap.push(m.heapUsedMb);
  }
  console.log(`start-up to ready (fresh \`node ${entry}\`, ${starts} runs): ${ready.map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(row('  ready from process start', latencyStats(ready)));
  console.log(row('  of which load + train', latencyStats(train)));
  const mb = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(`RSS growth from the NLU (after GC): right after training ${mb(rss)} MB · settled after ${settleMs / 1000} s idle ${mb(settled)} MB · JS heap used: ${mb(heap)} MB`);

  const nlu = loadNlu(INTENTS_DIR);
  const messages = [...loadLabelled(INDEPENDENT_PATH), ...loadHeldout(), ...loadLabelled(DEV_PATH)].map((e) => e.text);
  const cold: number[] = [];
  for (const m of messages) {
    const t = process.hrtime.bigint();
    nlu.parse(m);
    cold.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    for (const m of messages) {
      const t = process.hrtime.bigint();
      nlu.parse(m);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  console.log(`classification (${messages.length} evaluation messages, parse = ranking + entities):`);
  console.log(row('  first pass (cold caches)', latencyStats(cold)));
  console.log(row(`  next ${reps} passes`, latencyStats(samples)));
}

main();
