import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import { loadDialogContent } from './content/load-dialogs';
import { loadAnswerExamples, loadIntents } from './content/load-intents';
import type { Content } from './content/types';
import { CHECK_SPECS, createChecks } from './dialogs';
import type { StatusSource, StepChecks } from './dialogs';
import { buildBot } from './bot/build-bot';
import { createTurnErrorHandler } from './bot/turn-failure';
import { setUpDirectLine } from './channels/directline';
import { createLogger } from './log';
import type { Logger } from './log';
import { createNlu, DEFAULT_ANSWER_THRESHOLDS, DEFAULT_THRESHOLDS } from './nlu';
import type { Nlu } from './nlu/types';
import { projectVersion } from './project';
import { createServer } from './server/create-server';
import { AppleStatusClient } from './status';
import { SqliteStorage } from './storage';
import { registerWebRoutes } from './web/static-routes';

export interface App {
  server: Server;
  content: Content;
  nlu: Nlu;
  log: Logger;
  /** Starts listening; resolves to a base URL this machine can reach it at. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface AppOverrides {
  log?: Logger;
}

/**
 * The composition root: the only place that creates collaborators. Content
 * errors (bad YAML) surface here, before the server listens.
 */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  const log = overrides.log ?? createLogger(config.logLevel);

  const statusSource: StatusSource = new AppleStatusClient({ url: config.appleStatus.url, timeoutMs: config.appleStatus.timeoutMs, cacheMs: config.appleStatus.cacheMs });
  const checks: StepChecks = createChecks(statusSource);
  const content = loadDialogContent(config.dialogsDir, CHECK_SPECS);
  const nlu = createNlu(loadIntents(config.intentsDir), {}, loadAnswerExamples(config.intentsDir));
  const thresholds = {
    route: config.nluThresholds.route ?? DEFAULT_THRESHOLDS.route,
    ask: config.nluThresholds.ask ?? DEFAULT_THRESHOLDS.ask,
    answers: DEFAULT_ANSWER_THRESHOLDS,
  };

  const storage = new SqliteStorage({ file: join(config.dataDir, 'state.sqlite') });
  const { bot, middleware } = buildBot({ content, checks, nlu, thresholds, storage });

  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.auth.appId,
      MicrosoftAppPassword: config.auth.appPassword,
      MicrosoftAppType: config.auth.appType,
      MicrosoftAppTenantId: config.auth.tenantId,
    }),
  );
  for (const m of middleware) adapter.use(m);
  adapter.onTurnError = createTurnErrorHandler({ log, apology: content.messages.text.error });

  const version = projectVersion();
  const server = createServer({
    adapter,
    runTurn: (context) => bot.run(context),
    nlu,
    log,
    health: () => ({ version, content: content.hash, fixes: content.fixes.length }),
  });
  // The web widget: demo page, widget.js, Web Chat's bundle, and its Direct Line (built-in or Azure).
  registerWebRoutes(server);
  const directLine = setUpDirectLine(server, { config, log, selfUrl: () => selfUrl(server) });

  return {
    server,
    content,
    nlu,
    log,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      return selfUrl(server);
    },
    async close() {
      await directLine.close();
      if (server.server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      storage.close();
    },
  };
}

/** How this machine reaches the server (the built-in Direct Line posts to its own /api/messages): loopback for wildcard binds. */
function selfUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
