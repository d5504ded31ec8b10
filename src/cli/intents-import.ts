import { existsSync } from 'node:fs';
import { openStateDatabase } from './state-database';
import { loadConfig } from '../config';
import { InsightsStore } from '../insights/insights-store';
import { importLabelled } from '../insights/intents-import';

/**
 * `npm run intents:import`: the understanding inbox's labelled messages into
 * intents/*.yaml (validated like all content; duplicates refused). Review the
 * diff and commit it; the next start trains on them.
 */
function main(): number {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const db = openStateDatabase(config);
  if ('missing' in db) {
    process.stderr.write(`${db.missing}\n`);
    return 1;
  }
  try {
    const { imported, refused } = importLabelled(new InsightsStore(db), config.intentsDir);
    for (const i of imported) process.stdout.write(`imported  ${i.intent.padEnd(20)} ${JSON.stringify(i.text)}\n`);
    for (const r of refused) process.stdout.write(`refused   ${JSON.stringify(r.text)}: ${r.reason}\n`);
    process.stdout.write(`${imported.length} imported into ${config.intentsDir}, ${refused.length} refused.\n`);
    return 0;
  } finally {
    db.close();
  }
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
