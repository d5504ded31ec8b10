/**
 * `npm run bench:nlu`: the NLU's speed figures. Prints, asserts nothing.
 *
 * - Start-up to ready: `node` on bench/nlu-startup.js in a fresh process, N
 *   times (default 5): elapsed from process start until intents/ are loaded,
 *   the model is trained and a first message parsed.
 * - Classification latency: every held-out message × R repetitions (default
 *   50) through `parse` (intent ranking + entities, what /api/nlu/parse does),
 *   after a warm-up pass: mean / p50 / p99 / max in ms.
 *
 * Options: --starts N, --reps R.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadIntents } from '../src/content/load-intents';
import { createNlu } from '../src/nlu';
import { latencyStats } from '../scripts/baselines';
import type { LatencyStats } from '../scripts/baselines';
import { INTENTS_DIR, loadHeldout } from '../scripts/data';

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
  for (let i = 0; i < starts; i++) {
    const out = execFileSync(process.execPath, [entry], { encoding: 'utf8' });
    const m = JSON.parse(out.trim().split('\n').pop() as string) as { readyMs: number; trainMs: number };
    ready.push(m.readyMs);
    train.push(m.trainMs);
  }
  console.log(`start-up to ready (fresh \`node ${entry}\`, ${starts} runs): ${ready.map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(row('  ready from process start', latencyStats(ready)));
  console.log(row('  of which load + train', latencyStats(train)));

  const nlu = createNlu(loadIntents(INTENTS_DIR));
  const messages = loadHeldout().map((e) => e.text);
  for (const m of messages) nlu.parse(m);
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    for (const m of messages) {
      const t = process.hrtime.bigint();
      nlu.parse(m);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  console.log(`classification (${messages.length} held-out messages × ${reps}, parse = ranking + entities):`);
  console.log(row('  per message', latencyStats(samples)));
}

main();
