import { randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import { createAzureTokenClient } from './azure-token-client';
import { createBotClient } from './bot-client';
import { createConversationStore } from './conversation-store';
import { DIRECT_LINE_PATH, registerDirectLineRoutes } from './directline-routes';
import { DirectLineService } from './directline-service';
import { createRateLimiter } from './rate-limiter';
import { requestBase } from './route-handler';
import { attachStream } from './stream';
import { createTokenSigner } from './token-signer';
import { registerTokenRoute } from './token-route';
import type { TokenIssuer } from './token-route';

/** Memory caps of the built-in service (see README): ~1,000 conversations × 500 activities. */
export const MAX_CONVERSATIONS = 1000;
export const MAX_ACTIVITIES_PER_CONVERSATION = 500;
export const MAX_ACTIVITY_BYTES = 64 * 1024;
const BOT_TIMEOUT_MS = 15_000;

export interface DirectLineSetupOptions {
  config: Pick<Config, 'directLine' | 'auth'>;
  log: Logger;
  /** This server's own base URL (http://127.0.0.1:port); known only after listen(). */
  selfUrl: () => string;
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
export function setUpDirectLine(server: Server, { config, log, selfUrl }: DirectLineSetupOptions): DirectLine {
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
  const connectorKey = randomBytes(16).toString('hex');
  const service = new DirectLineService({
    signer: createTokenSigner({ secret, ttlSeconds: directLine.tokenTtlSeconds }),
    store: createConversationStore({ maxConversations: MAX_CONVERSATIONS, maxActivities: MAX_ACTIVITIES_PER_CONVERSATION }),
    postToBot: createBotClient({ endpoint: () => `${selfUrl()}/api/messages`, timeoutMs: BOT_TIMEOUT_MS }),
    serviceUrl: () => `${selfUrl()}/directline-connector/${connectorKey}`,
    botId: 'bot',
    maxActivityBytes: MAX_ACTIVITY_BYTES,
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
  return {
    mode: 'builtin',
    async close() {
      stream.close();
      await service.close();
    },
  };
}

export { DirectLineService } from './directline-service';
export { createTokenSigner } from './token-signer';
export type { TokenResponse } from './token-route';
