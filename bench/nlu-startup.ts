/**
 * Start-up to ready, from a fresh process: load intents/ (the intents and the
 * answers typed at prompts, as the bot does) and train both models (or load
 * them from the model cache folder given as the second argument), then print
 * the milliseconds since the process started (process.uptime(), so Node's own
 * boot and module loading count too) and the resident memory the NLU added:
 * RSS after a GC minus RSS before its modules were loaded, right after
 * training and again once settled (after `settleMs` idle, when V8's memory
 * reducer has given back the young-generation pages training's burst of
 * short-lived allocations grew; a server idles like that between bursts).
 * Run by bench/nlu.ts with --expose-gc.
 */
const rssBefore = process.memoryUsage().rss;
const settleMs = Number(process.argv[2] ?? 12_000);
/** The model cache folder (as the bot's DATA_DIR/nlu-models); none: train without one. */
const cacheDir = process.argv[3];

async function main(): Promise<void> {
  const { loadNlu } = await import('../src/content/load-intents');
  const { INTENTS_DIR } = await import('../scripts/data');
  const { directoryModelCache } = await import('../src/nlu/model-cache');
  const loaded = performance.now();
  const nlu = loadNlu(INTENTS_DIR, cacheDir ? directoryModelCache(cacheDir) : undefined);
  nlu.parse('my whatsapp backup is stuck');
  const ready = process.uptime() * 1000;
  const trainMs = performance.now() - loaded;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  gc();
  const settledRssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
  const heapUsedMb = process.memoryUsage().heapUsed / 1e6;
  process.stdout.write(`${JSON.stringify({ readyMs: ready, trainMs, rssGrowthMb, settledRssGrowthMb, heapUsedMb })}\n`);
}

void main();
