import { existsSync } from 'node:fs';
import { openInsights } from './insights-source';
import { loadConfig } from '../config';
import { importLabelled } from '../insights/intents-import';

/**
 * `npm run intents:import`: the understanding inbox's labelled messages into
 * intents/*.yaml (validated like all content; duplicates refused). Review the
 * diff and commit it; the next start trains on them. Reads the inbox where
 * the bot keeps it (Redis with REDIS_URL, else DATA_DIR).
 */
async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const source = openInsights(config);
  if ('missing' in source) {
    process.stderr.write(`${source.missing}\n`);
    return 1;
  }
  try {
    const { imported, refused } = await importLabelled(source.store, config.intentsDir);
    for (const i of imported) process.stdout.write(`imported  ${i.intent.padEnd(20)} ${JSON.stringify(i.text)}\n`);
    for (const r of refused) process.stdout.write(`refused   ${JSON.stringify(r.text)}: ${r.reason}\n`);
    process.stdout.write(`${imported.length} imported into ${config.intentsDir}, ${refused.length} refused.\n`);
    return 0;
  } finally {
    await source.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const where = process.env.REDIS_URL ? ' (the inbox is read from Redis: REDIS_URL)' : '';
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}${where}\n`);
    process.exitCode = 2;
  },
);
