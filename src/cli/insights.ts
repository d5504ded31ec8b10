import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config';
import type { Config } from '../config';
import { loadDialogContent } from '../content/load-dialogs';
import { CHECK_SPECS } from '../dialogs';
import { openInsights } from './insights-source';
import { computeFigures } from '../insights/figures';
import { parsePeriod, stepOrderOf } from '../insights/period';
import { formatTables, toCsv } from '../insights/report';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run insights -- --since 7d [--until 1d] [--csv]`: the figures the
 * /admin dashboard shows, from the bot's own database (DATA_DIR) or, with
 * REDIS_URL, from the Redis every instance shares, as tables
 * for the terminal or as CSV.
 */
export async function insightsCommand(args: readonly string[], config: Config, now = new Date()): Promise<CommandResult> {
  const arg = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  let period;
  try {
    period = parsePeriod(arg('--since'), arg('--until'), now);
  } catch (error) {
    return { exitCode: 2, stdout: '', stderr: `${(error as Error).message}\n` };
  }
  const source = openInsights(config);
  if ('missing' in source) return { exitCode: 1, stdout: '', stderr: `${source.missing}\n` };
  try {
    const figures = await computeFigures(source.store, period, stepOrderOf(loadDialogContent(config.dialogsDir, CHECK_SPECS).fixes));
    return { exitCode: 0, stdout: args.includes('--csv') ? toCsv(figures) : formatTables(figures), stderr: '' };
  } catch (error) {
    if (!config.redis.url) throw error;
    return { exitCode: 1, stdout: '', stderr: `Could not read the insights from Redis (REDIS_URL): ${(error as Error).message}\n` };
  } finally {
    await source.close();
  }
}

if (require.main === module) {
  (async () => {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const result = await insightsCommand(process.argv.slice(2), loadConfig());
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
