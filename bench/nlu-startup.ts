/**
 * Start-up to ready, from a fresh process: load intents/ and train the NLU
 * (lexicon included), then print the milliseconds since the process started
 * (process.uptime(), so Node's own boot and module loading count too) and the
 * resident memory the NLU added (RSS after a GC minus RSS before its modules
 * were loaded). Run by bench/nlu.ts with --expose-gc.
 */
const rssBefore = process.memoryUsage().rss;

async function main(): Promise<void> {
  const { loadIntents } = await import('../src/content/load-intents');
  const { createNlu } = await import('../src/nlu');
  const { INTENTS_DIR } = await import('../scripts/data');
  const loaded = performance.now();
  const nlu = createNlu(loadIntents(INTENTS_DIR));
  nlu.parse('my whatsapp backup is stuck');
  const ready = process.uptime() * 1000;
  const trainMs = performance.now() - loaded;
  (globalThis as { gc?: () => void }).gc?.();
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
  const heapUsedMb = process.memoryUsage().heapUsed / 1e6;
  process.stdout.write(`${JSON.stringify({ readyMs: ready, trainMs, rssGrowthMb, heapUsedMb })}\n`);
}

void main();
