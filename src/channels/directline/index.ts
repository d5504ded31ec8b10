import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { SharedRedis } from '../../scale/redis-client';
import { createAzureTokenClient } from './azure-token-client';
import { createBotClient, createInProcessBotClient } from './bot-client';
import type { DeliverTurn } from './bot-client';
import type { InProcessChannel } from '../../server/in-process-connector';
import { createConversationStore } from './conversation-store';
import { memoryDirectLineStore } from './directline-store';
import { createRedisDirectLineStore } from './redis-directline-store';
import { createRedisRateLimiter } from './redis-rate-limiter';
import { sharedSecret } from './shared-secret';
import { DIRECT_LINE_PATH, registerDirectLineRoutes } from './directline-routes';
import { DirectLineService } from './directline-service';
import { resolveLimits } from './limits';
import type { DirectLineLimits } from './limits';
import { createRateLimiter } from './rate-limiter';
import { requestBase } from './route-handler';
import { attachStream } from './stream';
import { createTokenSigner } from './token-signer';
import type { TokenSigner } from './token-signer';
import { orUnavailable } from './redis-unavailable';
import { registerTokenRoute } from './token-route';
import type { TokenIssuer } from './token-route';
import { createTurnQueue } from './turn-queue';

export interface DirectLineSetupOptions {
  config: Pick<Config, 'directLine' | 'auth'>;
  log: Logger;
  /** This server's own base URL (http://127.0.0.1:port); known only after listen(). */
  selfUrl: () => string;
  /** Caps other than the defaults (see limits.ts): tests make them tiny to reach eviction. */
  limits?: Partial<DirectLineLimits>;
  /** A bot elsewhere, reached over HTTP at this messaging endpoint (tests put the service in front of a stand-in bot). */
  botEndpoint?: () => string;
  /**
   * The bot in this process: activities go to `deliver` (what POST /api/messages runs) and the bot's replies
   * come back through `connectors` as calls, so a turn costs no HTTP. Without it and without `botEndpoint`,
   * activities go over HTTP to this server's own /api/messages.
   */
  inProcess?: { deliver: DeliverTurn; connectors: { addInProcessChannel(channel: InProcessChannel): void } };
  /** REDIS_URL's connections: conversations, the token secret and the token limit are then shared by every instance. */
  redis?: SharedRedis;
}

export interface DirectLine {
  mode: 'builtin' | 'azure' | 'off';
  close(): Promise<void>;
}

/**
 * The widget's Direct Line. Azure mode when DIRECT_LINE_SECRET is set (the
 * token route exchanges it server side). Otherwise the built-in service,
 * which runs its turns through the bot in this process; it is off when Bot Framework
 * auth is on, because it cannot sign the tokens the adapter would demand.
 */
export function setUpDirectLine(server: Server, options: DirectLineSetupOptions): DirectLine {
  const { config, log, selfUrl, redis } = options;
  const { directLine } = config;
  const limiter = redis
    ? createRedisRateLimiter({ redis, limit: directLine.tokenRatePerMinute, windowMs: 60_000 })
    : createRateLimiter({ limit: directLine.tokenRatePerMinute, windowMs: 60_000 });

  if (directLine.secret) {
    const azure = createAzureTokenClient({ endpoint: directLine.endpoint, secret: directLine.secret });
    registerTokenRoute(server, { issue: azure, domain: () => directLine.endpoint, limiter, log });
    return { mode: 'azure', close: async () => undefined };
  }
  if (config.auth.appId) {
    log.warn('web widget off: MicrosoftAppId is set, so set DIRECT_LINE_SECRET to use Azure Direct Line');
    registerTokenRoute(server, { issue: undefined, domain: () => '', limiter, log });
    return { mode: 'off', close: async () => undefined };
  }

  const limits = resolveLimits(options.limits);
  const { secret, connectorKey } = secrets(directLine.builtinSecret, redis, log);
  const inProcess = options.botEndpoint ? undefined : options.inProcess;
  const bot = inProcess
    ? createInProcessBotClient({ deliver: inProcess.deliver, timeoutMs: limits.botTimeoutMs })
    : createBotClient({
        endpoint: options.botEndpoint ?? (() => `${selfUrl()}/api/messages`),
        timeoutMs: limits.botTimeoutMs,
        connections: limits.turnConcurrency,
      });
  const serviceUrl = () => `${selfUrl()}/directline-connector/${connectorKey() ?? 'unknown'}`;
  let signer: TokenSigner | undefined;
  const store = redis
    ? createRedisDirectLineStore({
        redis,
        log,
        maxActivities: limits.maxActivitiesPerConversation,
        maxBytes: limits.maxConversationBytes,
        idleSeconds: limits.redisIdleSeconds,
        rememberSeconds: limits.redisRememberSeconds,
      })
    : undefined;
  const service = new DirectLineService({
    signer: async () => (signer ??= createTokenSigner({ secret: await secret(), ttlSeconds: directLine.tokenTtlSeconds })),
    store:
      store ??
      memoryDirectLineStore(
        createConversationStore({
          maxConversations: limits.maxConversations,
          maxActivities: limits.maxActivitiesPerConversation,
          maxBytes: limits.maxConversationBytes,
          maxTotalBytes: limits.maxTotalBytes,
        }),
      ),
    turns: createTurnQueue({ concurrency: limits.turnConcurrency, capacity: limits.turnQueue }),
    postToBot: (activity) => bot.post(activity),
    serviceUrl,
    botId: 'bot',
    maxActivityBytes: limits.maxActivityBytes,
    log,
  });
  registerDirectLineRoutes(server, { service, connectorKey, publicUrl: directLine.publicUrl, selfUrl, log });
  // The connector route above stays for replies made elsewhere (another instance, with Redis).
  inProcess?.connectors.addInProcessChannel({
    serviceUrl: () => (selfUrl() && connectorKey() ? serviceUrl() : undefined),
    receive: (conversationId, activity, replyToId) => service.receiveFromBot(conversationId, activity, replyToId),
  });
  const issue: TokenIssuer = async (userId) => service.generateToken({ kind: 'secret' }, userId);
  registerTokenRoute(server, {
    issue,
    domain: (req) => `${requestBase(req, directLine.publicUrl, selfUrl)}${DIRECT_LINE_PATH}`,
    limiter,
    log,
  });
  const stream = attachStream(server.server, { service, log });
  let closed: Promise<void> | undefined;
  return {
    mode: 'builtin',
    // In this order: refuse new turns, let queued and running ones finish (their replies still
    // reach open streams), then close the streams with "restarting" so Web Chat reconnects.
    close() {
      closed ??= (async () => {
        await service.close(limits.drainMs);
        await stream.close();
        await bot.close();
        store?.close();
      })();
      return closed;
    },
  };
}

export { DirectLineService } from './directline-service';
export { DEFAULT_LIMITS } from './limits';
export type { DirectLineLimits } from './limits';
export { STREAM_CLOSE } from './stream-close';
export { EXPIRY_NOTICE } from './expiry-notice';
export { createTokenSigner } from './token-signer';
export type { TokenResponse } from './token-route';

/**
 * The token-signing secret and the connector key derived from it. Configured:
 * both survive restarts. Otherwise, with Redis, the instances agree on one
 * (so a token from one is good on all, and the bot's replies may reach any);
 * without Redis, random per start, as one instance needs.
 */
function secrets(configured: string, redis: SharedRedis | undefined, log: Logger): { secret: () => Promise<string>; connectorKey: () => string | undefined } {
  const derive = (secret: string) => createHmac('sha256', secret).update('directline-connector').digest('hex').slice(0, 32);
  if (configured) {
    const key = derive(configured);
    return { secret: async () => configured, connectorKey: () => key };
  }
  if (redis) {
    log.info('direct line: conversations, the token secret and the token limit are shared through Redis');
    const agreed = sharedSecret(redis, log);
    let key: string | undefined;
    return {
      secret: async () => {
        const secret = await orUnavailable(redis, agreed);
        key ??= derive(secret);
        return secret;
      },
      connectorKey: () => key,
    };
  }
  log.info('direct line: DIRECT_LINE_BUILTIN_SECRET is not set; using a random one, so widget tokens will not survive a restart');
  const secret = randomBytes(32).toString('base64url');
  const key = randomBytes(16).toString('hex');
  return { secret: async () => secret, connectorKey: () => key };
}
