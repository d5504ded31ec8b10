import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import { createAzureTokenClient } from './azure-token-client';
import { createBotClient } from './bot-client';
import { createConversationStore } from './conversation-store';
import { DIRECT_LINE_PATH, registerDirectLineRoutes } from './directline-routes';
import { DirectLineService } from './directline-service';
import { resolveLimits } from './limits';
import type { DirectLineLimits } from './limits';
import { createRateLimiter } from './rate-limiter';
import { requestBase } from './route-handler';
import { attachStream } from './stream';
import { createTokenSigner } from './token-signer';
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
  /** The bot's messaging endpoint; default this server's own /api/messages. */
  botEndpoint?: () => string;
}

export interface DirectLine {
  mode: 'builtin' | 'azure' | 'off';
  close(): Promise<void>;
}

/**
 * The widget's Direct Line. Azure mode when DIRECT_LINE_SECRET is set (the
 * token route exchanges it server side). Otherwise the built-in service,
 * which talks to /api/messages like any channel; it is off when Bot Framework
 * auth is on, because it cannot sign the tokens the adapter would demand.
 */
export function setUpDirectLine(server: Server, options: DirectLineSetupOptions): DirectLine {
  const { config, log, selfUrl } = options;
  const { directLine } = config;
  const limiter = createRateLimiter({ limit: directLine.tokenRatePerMinute, windowMs: 60_000 });

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

  let secret = directLine.builtinSecret;
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    log.info('direct line: DIRECT_LINE_BUILTIN_SECRET is not set; using a random one, so widget tokens will not survive a restart');
  }
  const limits = resolveLimits(options.limits);
  // The bot replies to this path; with a configured secret it survives a restart, so proactive messages
  // (a hand-off's queue updates and agent lines) still reach conversations the bot stored before it.
  const connectorKey = directLine.builtinSecret ? createHmac('sha256', directLine.builtinSecret).update('directline-connector').digest('hex').slice(0, 32) : randomBytes(16).toString('hex');
  const bot = createBotClient({
    endpoint: options.botEndpoint ?? (() => `${selfUrl()}/api/messages`),
    timeoutMs: limits.botTimeoutMs,
    connections: limits.turnConcurrency,
  });
  const service = new DirectLineService({
    signer: createTokenSigner({ secret, ttlSeconds: directLine.tokenTtlSeconds }),
    store: createConversationStore({
      maxConversations: limits.maxConversations,
      maxActivities: limits.maxActivitiesPerConversation,
      maxBytes: limits.maxConversationBytes,
      maxTotalBytes: limits.maxTotalBytes,
    }),
    turns: createTurnQueue({ concurrency: limits.turnConcurrency, capacity: limits.turnQueue }),
    postToBot: (activity) => bot.post(activity),
    serviceUrl: () => `${selfUrl()}/directline-connector/${connectorKey}`,
    botId: 'bot',
    maxActivityBytes: limits.maxActivityBytes,
    log,
  });
  registerDirectLineRoutes(server, { service, connectorKey, publicUrl: directLine.publicUrl, selfUrl, log });
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
