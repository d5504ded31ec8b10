import { existsSync } from 'node:fs';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { ContentError, ContentErrors } from './content/yaml-file';

/** Process entry: read config, build the app, listen, and shut down cleanly on a signal or a fatal error. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = createApp(config);
  const url = await app.listen();
  app.log.info('bot listening', { url, messages: `${url}/api/messages`, auth: config.auth.appId ? 'on' : 'off' });

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    app.log.info('shutting down', { reason });
    try {
      const drained = await app.close();
      app.log.info('shut down', { reason, drained });
      process.exit(exitCode);
    } catch (error) {
      app.log.error('shutdown failed', { error: String((error as Error)?.stack ?? error) });
      process.exit(1);
    }
  };
  // `on`, not `once`: a repeated signal during the drain must not kill the process with the turns half done.
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  // A bug nobody caught leaves the process in an unknown state: finish the turns in flight, then exit 1.
  process.on('uncaughtException', (error) => {
    app.log.error('uncaught exception; shutting down after the turns in flight', { error: String(error?.stack ?? error) });
    void stop('uncaughtException', 1);
  });
  // A promise nobody awaited failed: worth knowing, not worth stopping every conversation for.
  process.on('unhandledRejection', (reason) => {
    app.log.error('unhandled promise rejection', { error: String((reason as Error)?.stack ?? reason) });
  });
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
