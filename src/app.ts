import { join } from 'node:path';
import { Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import type { Config } from './config';
import { loadDialogContent } from './content/load-dialogs';
import { loadNlu } from './content/load-intents';
import type { Content } from './content/types';
import { CHECK_SPECS, createChecks } from './dialogs';
import { dialogThresholds } from './dialogs/routing';
import type { StatusSource, StepChecks } from './dialogs';
import { buildBot } from './bot/build-bot';
import { createBotEventHub } from './bot/bot-events';
import { createTurnErrorHandler } from './bot/turn-failure';
import { setUpDirectLine } from './channels/directline';
import { connectRedis } from './scale/redis-client';
import { createLogger } from './log';
import type { Logger } from './log';
import { directoryModelCache } from './nlu/model-cache';
import type { ModelCache } from './nlu/model-cache';
import type { Nlu } from './nlu/types';
import { startHousekeeping } from './insights/housekeeping';
import { redisHousekeepingClaim } from './insights/housekeeping-lease';
import type { InsightsStore } from './insights/insights-store';
import { RedisInsightsStore } from './insights/redis-insights-store';
import { SqliteInsightsStore } from './insights/sqlite-insights-store';
import { conversationKey, createInsightsRecorder } from './insights/recorder';
import { projectVersion } from './project';
import { BotEdgeAdapter } from './server/bot-framework-edge';
import { ReusingBotFrameworkAuthentication } from './server/reused-connectors';
import { createServer } from './server/create-server';
import { HttpError } from './server/http-error';
import { createMetrics } from './server/metrics';
import type { Metrics } from './server/metrics';
import { createServiceUrlPolicy } from './server/service-url-policy';
import { createTurnTracker } from './server/turn-tracker';
import { createTurnRunner } from './server/turn-runner';
import { AppleStatusClient } from './status';
import { SqliteStorage } from './storage';
import { TickWrites } from './storage/tick-writes';
import type { Storage } from 'botbuilder';
import type { SharedRedis } from './scale/redis-client';
import { RedisConversationLock } from './scale/redis-conversation-lock';
import { redisUnreachable } from './scale/redis-unavailable';
import { RedisStorage } from './storage/redis-storage';
import { registerWebRoutes } from './web/static-routes';
import { registerAgentRoutes, registerSessionRoutes, setUpHandoff } from './handoff';
import { createAgentAuth } from './handoff/agent-auth';
import type { AgentDeskService } from './handoff';
import { createTeamsAgents } from './handoff/teams-agents';
import type { TeamsAgents } from './handoff/teams-agents';
import { registerAdminRoutes } from './insights/admin-routes';
import { stepOrderOf } from './insights/period';
import { PROJECT_ROOT } from './project';

export interface App {
  server: Server;
  content: Content;
  nlu: Nlu;
  log: Logger;
  metrics: Metrics;
  /** The built-in agent desk, as agents (console, Teams) use it. */
  agentDesk: AgentDeskService;
  /** Agents in Teams (their proactive messages). */
  teamsAgents: TeamsAgents;
  /** What conversations did (outcomes, funnel, ratings, the understanding inbox), in the state database (Redis with REDIS_URL). */
  insights: InsightsStore;
  /** The instance's Redis connections when REDIS_URL is set (several instances share state through it). */
  redis?: SharedRedis;
  /** The default console account's one-off password, when no AGENT_ACCOUNTS are set and the server is on loopback. */
  oneOffAgentPassword?: string;
  /** Starts listening; resolves to a base URL this machine can reach it at. */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: /readyz answers 503, the built-in Direct Line drains
   * and closes its WebSockets, then no new connections, turns in flight
   * finish (up to `drainMs`), storage closes.
   * Resolves false when turns were still running at the deadline.
   */
  close(drainMs?: number): Promise<boolean>;
}

/** Trained NLU models kept in DATA_DIR, so a restart with the same content skips training. */
function nluModelCache(dataDir: string, log: Logger): ModelCache {
  return directoryModelCache(join(dataDir, 'nlu-models'), (e) => {
    if (e.kind === 'problem') log.warn('NLU model cache: could not use it, training instead', { file: e.file, error: e.error });
    else log.debug(e.kind === 'hit' ? 'NLU model loaded from the cache' : 'NLU model trained and cached', { file: e.file });
  });
}

/** How long shutdown waits for turns in flight. */
export const DRAIN_TIMEOUT_MS = 10_000;

export interface AppOverrides {
  log?: Logger;
  /** The state store (default: SQLite in DATA_DIR); tests pass one they can break. */
  storage?: SqliteStorage;
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
  const nlu = loadNlu(config.intentsDir, nluModelCache(config.dataDir, log));
  const thresholds = dialogThresholds(config.nluThresholds);

  const storage = overrides.storage ?? new SqliteStorage({ file: join(config.dataDir, 'state.sqlite') });
  // REDIS_URL: one connection set per instance, handed to every part that shares something with the other instances.
  const redis: SharedRedis | undefined = config.redis.url ? connectRedis({ url: config.redis.url, prefix: config.redis.keyPrefix, log, name: `bot-${process.pid}` }) : undefined;
  // Bot state (conversation and user) and the turn order: in Redis with several instances, else in this process and SQLite.
  // A conversation left alone is forgotten with the rest of its data (INSIGHTS_RETENTION_DAYS), so Redis does not only grow.
  const botStorage: Storage = redis ? new RedisStorage({ redis: redis.client, prefix: `${redis.prefix}state:`, ttlMs: config.insights.retentionDays * 86_400_000 }) : storage;
  const lock = redis ? new RedisConversationLock({ redis: redis.client, prefix: `${redis.prefix}turns:` }) : undefined;
  const metrics = createMetrics();
  const botEvents = createBotEventHub((error) => log.warn('a bot event listener failed', { error: String(error) }));
  botEvents.subscribe(metrics.botEvents);
  // Transcript rows and insight events of one tick go to SQLite in one transaction.
  const tickWrites = new TickWrites(storage.database);
  const handoff = setUpHandoff({ config, database: storage.database, writes: tickWrites, content, nlu, thresholds, log, ...(redis ? { redis } : {}) });
  // With REDIS_URL the insights (and their periodic jobs) are shared by every instance.
  const insights: InsightsStore = redis ? new RedisInsightsStore(redis.client, redis.prefix) : new SqliteInsightsStore(storage.database, tickWrites);
  const recorder = createInsightsRecorder(insights, (error) => log.warn('insights: could not record a turn', { error: String(error) }));
  if (config.insights.enabled) botEvents.subscribe(recorder.listener);
  else log.info('insights are off (INSIGHTS=off): no outcomes, ratings or inbox are recorded');
  const housekeeping = startHousekeeping({
    store: insights,
    retentionDays: config.insights.retentionDays,
    abandonAfterMinutes: config.insights.abandonAfterMinutes,
    alsoDelete: [(before) => handoff.transcripts.deleteOlderThan(before)],
    ...(redis ? { claim: redisHousekeepingClaim(redis) } : {}),
    onError: (error) => log.warn('insights housekeeping failed', { error: String(error) }),
  });
  // "delete my data": the transcript, the insights' texts and the hand-offs' quotes of this conversation.
  const erase = async (context: TurnContext): Promise<void> => {
    const { channelId, conversation } = context.activity;
    await handoff.transcripts.deleteTranscript(channelId, conversation.id);
    await insights.deleteConversationText(conversationKey(context));
    await handoff.store.forgetUserText(conversation.id);
    log.info('deleted a conversation\'s data at the user\'s request', { channelId, conversationId: conversation.id });
  };
  // Teams agents need the bot's conversation state and the adapter, made below; their middleware is installed now.
  let teamsAgents: TeamsAgents | undefined;
  const teamsAgentMiddleware = { onTurn: (context: TurnContext, next: () => Promise<void>) => teamsAgents!.middleware.onTurn(context, next) };
  const { bot, middleware, conversationState } = buildBot({
    content,
    checks,
    nlu,
    thresholds,
    storage: botStorage,
    ...(lock ? { lock } : {}),
    onStateRetry: ({ key, attempt }) => log.warn('state changed elsewhere during a turn; running it again on fresh state', { key, attempt }),
    events: botEvents.events,
    insights: config.insights.enabled ? { recorder: recorder.middleware, csat: recorder.csat, erase } : { erase },
    handoff: {
      port: handoff.core,
      middleware: handoff.middleware,
      agentMiddleware: [teamsAgentMiddleware],
      holds: async (conversationId) => (await handoff.store.openFor(conversationId)) !== undefined,
    },
  });

  const botAuthentication = new ReusingBotFrameworkAuthentication({
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppPassword: config.auth.appPassword,
    MicrosoftAppType: config.auth.appType,
    MicrosoftAppTenantId: config.auth.tenantId,
  });
  const adapter = new BotEdgeAdapter(botAuthentication);
  for (const m of middleware) adapter.use(m);
  adapter.onTurnError = createTurnErrorHandler({
    log,
    apology: content.messages.text.error,
    ...(redis ? { storeDown: { when: redisUnreachable(redis), message: content.messages.text.store_unavailable } } : {}),
  });
  handoff.core.attach((reference, activity, logic) => adapter.runInConversation(config.auth.appId, reference, activity, logic), (context) => bot.run(context));
  // With an external desk (HANDOFF_DESK), its agents work there: no console, no Teams agents.
  const consoleDesk = !handoff.desks.desk;
  if (!consoleDesk) log.info('hand-off: an external desk takes the hand-offs, so /agent and Teams agents are off', { desk: config.desks.desk });
  teamsAgents = createTeamsAgents({
    desk: handoff.desk,
    agentIds: consoleDesk ? config.teamsAgentIds : [],
    adapter,
    botAppId: config.auth.appId,
    storage: botStorage,
    conversationState,
    text: content.messages.text,
    log,
  });

  const version = projectVersion();
  const turns = createTurnTracker();
  let draining = false;
  let baseUrl = ''; // known after listen(), kept through shutdown (when the server no longer has an address)
  const ownUrl = () => baseUrl;
  const authOn = Boolean(config.auth.appId);
  const runTurn = createTurnRunner({
    adapter,
    authOn,
    serviceUrls: createServiceUrlPolicy({ allowed: config.allowedServiceUrls, selfUrl: ownUrl }),
    runTurn: (context) => bot.run(context),
    turns,
    metrics,
    log,
  });
  const server: Server = createServer({
    runTurn,
    nlu,
    log,
    authOn,
    publicUrl: config.directLine.publicUrl,
    metrics,
    health: () => ({ version, content: content.hash, fixes: content.fixes.length }),
    ready: async () => {
      if (draining) throw new HttpError('NOT_READY', 'Shutting down.');
      try {
        await storage.read(['readyz']);
      } catch (error) {
        log.warn('not ready: storage does not answer', { error: String(error) });
        throw new HttpError('NOT_READY', 'Storage does not answer.', { cause: error });
      }
      // With several instances, a load balancer should send nobody here while the shared state is out of reach.
      if (redis) {
        try {
          await redis.ping();
        } catch (error) {
          log.warn('not ready: Redis does not answer', { error: String(error) });
          throw new HttpError('NOT_READY', 'Redis does not answer.', { cause: error });
        }
      }
    },
    draining: () => draining,
  });
  // The web widget: demo page, widget.js, Web Chat's bundle, and its Direct Line (built-in or Azure).
  registerWebRoutes(server);
  // One sign-in for the console and the insights; it stays on with an external desk, for /admin.
  const { accounts, sessions } = handoff;
  const auth = createAgentAuth({ accounts, sessions, publicUrl: config.directLine.publicUrl });
  registerSessionRoutes(server, { accounts, sessions, auth, throttle: handoff.throttle, publicUrl: config.directLine.publicUrl, log });
  if (consoleDesk) registerAgentRoutes(server, { desk: handoff.desk, accounts, sessions, auth, pageDir: handoff.pageDir, log });
  registerAdminRoutes(server, {
    insights,
    auth,
    stepOrder: stepOrderOf(content.fixes),
    pageDir: join(PROJECT_ROOT, 'src', 'web', 'public', 'admin'),
    log,
  });
  handoff.desks.registerRoutes(server, log);
  // REDIS_URL: one connection set for this instance, shared by everything several instances must share.
  // Its turns run in this process: no HTTP between the widget's Direct Line and the bot, either way.
  const directLine = setUpDirectLine(server, {
    config,
    log,
    selfUrl: ownUrl,
    redis,
    inProcess: { deliver: (activity) => runTurn(activity, ''), connectors: botAuthentication },
  });

  let closing: Promise<boolean> | undefined;
  const shutDown = async (drainMs: number): Promise<boolean> => {
    draining = true;
    const http = server.server;
    const closed = new Promise<void>((resolve) => http.once('close', () => resolve()));
    // The built-in Direct Line first: it refuses new turns and finishes its queued ones. Replies made on
    // other instances reach its connector route over HTTP, so the server must still accept connections meanwhile.
    await directLine.close();
    // Then stop accepting connections but keep the open ones (net's close, not http's, which would also drop
    // idle keep-alive connections): requests on them get answers with `Connection: close`, /readyz a 503.
    const listening = http.listening;
    if (listening) NetServer.prototype.close.call(http);
    const drained = await turns.drained(drainMs);
    if (!drained) log.warn('shutting down with turns still in flight', { turns: turns.size() });
    if (listening) {
      http.close();
      http.closeAllConnections();
      // Upgraded sockets are not the HTTP server's to close; don't let one that lingers hold the exit.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
    await botAuthentication.close();
    teamsAgents?.close();
    housekeeping.stop();
    handoff.close();
    tickWrites.flush();
    storage.close();
    await redis?.close();
    return drained;
  };

  return {
    server,
    content,
    nlu,
    log,
    metrics,
    agentDesk: handoff.desk,
    teamsAgents,
    insights,
    ...(redis ? { redis } : {}),
    ...(handoff.oneOffPassword ? { oneOffAgentPassword: handoff.oneOffPassword } : {}),
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      baseUrl = selfUrl(server);
      return baseUrl;
    },
    close: (drainMs = DRAIN_TIMEOUT_MS) => (closing ??= shutDown(drainMs)),
  };
}

/** How this machine reaches the server (the built-in Direct Line's serviceUrl names it): loopback for wildcard binds. */
function selfUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
