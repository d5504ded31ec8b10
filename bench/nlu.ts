/**
 * `npm run bench:nlu`: the NLU's speed figures. Prints, asserts nothing.
 *
 * - Start-up to ready: `node` on bench/nlu-startup.js in a fresh process, N
 *   times (default 5) cold (an empty model cache: both models, intents and
 *   answers, are trained) and N times warm (the models cached by an earlier
 *   start on the same content are loaded): elapsed from process start until
 *   intents/ are loaded, both models ready and a first message parsed; and
 *   the RSS the NLU adds, right after start-up and settled.
 * - Classification latency: every message of the independent split, the old
 *   split and the dev set × R repetitions (default 50) through `parse` (intent
 *   ranking + entities, what /api/nlu/parse does): the first pass (cold caches
 *   of spelling and word stand-ins) and the later ones, mean / p50 / p99 /
 *   max in ms. Texts are only timed, never printed.
 *
 * Options: --starts N, --reps R, --settle-ms MS (idle before the settled RSS, 12000).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
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

interface StartUp {
  readyMs: number;
  trainMs: number;
  rssGrowthMb: number;
  settledRssGrowthMb: number;
  heapUsedMb: number;
}

/** N fresh processes of bench/nlu-startup.js, each given the model cache folder `cacheFor()` returns. */
function startUps(title: string, entry: string, starts: number, settleMs: number, cacheFor: () => string): void {
  const runs: StartUp[] = [];
  for (let i = 0; i < starts; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', entry, String(settleMs), cacheFor()], { encoding: 'utf8' });
    runs.push(JSON.parse(out.trim().split('\n').pop() as string) as StartUp);
  }
  const of = (k: keyof StartUp): number[] => runs.map((r) => r[k]);
  const mb = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(`${title} (fresh \`node ${entry}\`, ${starts} runs): ready at ${of('readyMs').map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(row('  ready from process start', latencyStats(of('readyMs'))));
  console.log(row('  of which load + train', latencyStats(of('trainMs'))));
  console.log(`  RSS growth from the NLU (after GC): right after start-up ${mb(of('rssGrowthMb'))} MB · settled after ${settleMs / 1000} s idle ${mb(of('settledRssGrowthMb'))} MB · JS heap used ${mb(of('heapUsedMb'))} MB`);
}

function main(): void {
  const starts = argNumber('--starts', 5);
  const reps = argNumber('--reps', 50);
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}`);

  const entry = join(__dirname, 'nlu-startup.js');
  const settleMs = argNumber('--settle-ms', 12_000);
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-nlu-models-'));
  try {
    // Cold: no model on disk (the first start on a machine, or after content changed): trains both models.
    startUps('cold start, trains (empty model cache)', entry, starts, settleMs, () => mkdtempSync(join(cacheDir, 'cold-')));
    // Warm: the models trained by a start before, on the same content (every later restart).
    const warm = join(cacheDir, 'warm');
    execFileSync(process.execPath, [entry, '0', warm], { encoding: 'utf8' });
    startUps('warm start, loads the cached models', entry, starts, settleMs, () => warm);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }

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
