import { existsSync } from 'node:fs';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { ContentError, ContentErrors } from './content/yaml-file';

/** Process entry: read config, build the app, listen, and shut down cleanly on a signal. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = createApp(config);
  const url = await app.listen();
  app.log.info('bot listening', { url, messages: `${url}/api/messages`, auth: config.auth.appId ? 'on' : 'off' });
  const stop = async (signal: string) => {
    app.log.info('shutting down', { signal });
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Bad config or content: say exactly what and where, without a stack trace.
  if (error instanceof ConfigError || error instanceof ContentErrors || error instanceof ContentError) {
    process.stderr.write(`Cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`Cannot start: ${String((error as Error)?.stack ?? error)}\n`);
  }
  process.exit(1);
});
