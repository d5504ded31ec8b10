/**
 * Start-up to ready, from a fresh process: load intents/ and train the NLU,
 * then print the milliseconds since the process started (process.uptime(),
 * so Node's own boot and module loading count too). Run by bench/nlu.ts.
 */
import { loadIntents } from '../src/content/load-intents';
import { createNlu } from '../src/nlu';
import { INTENTS_DIR } from '../scripts/data';

const loaded = performance.now();
const nlu = createNlu(loadIntents(INTENTS_DIR));
nlu.parse('my whatsapp backup is stuck');
const ready = process.uptime() * 1000;
process.stdout.write(`${JSON.stringify({ readyMs: ready, trainMs: performance.now() - loaded })}\n`);
