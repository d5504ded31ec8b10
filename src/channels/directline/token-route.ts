import { randomBytes } from 'node:crypto';
import type { Request, Server } from 'restify';
import type { Logger } from '../../log';
import { HttpError } from '../../server/http-error';
import type { IssuedConversationToken } from './azure-token-client';
import type { RateLimiter } from './rate-limiter';
import { routeHandler } from '../../server/route-handler';
import { allowAnyOrigin } from './route-handler';

/** Issues a token for a new conversation bound to `userId`: the built-in service or Azure. */
export type TokenIssuer = (userId: string) => Promise<IssuedConversationToken>;

export interface TokenRouteOptions {
  /** Undefined when no Direct Line is available (built-in off, no Azure secret): the route answers 503. */
  issue: TokenIssuer | undefined;
  /** The Direct Line base URL the page should use; a function of the request for the built-in service. */
  domain: (req: Request) => string;
  limiter: RateLimiter;
  log: Logger;
}

export const TOKEN_ROUTE = '/api/directline/token';

/** What the page gets instead of a secret. */
export interface TokenResponse extends IssuedConversationToken {
  userId: string;
  domain: string;
}

/**
 * POST /api/directline/token: the page's only credential source. The user id
 * is chosen here, not by the page, so a token can't be minted for somebody
 * else's id. Limited per client address.
 */
export function registerTokenRoute(server: Server, { issue, domain, limiter, log }: TokenRouteOptions): void {
  const handle = routeHandler(log);
  server.opts(TOKEN_ROUTE, async (_req, res) => {
    allowAnyOrigin(res);
    res.send(204);
  });
  server.post(
    TOKEN_ROUTE,
    handle(TOKEN_ROUTE, async (req, res) => {
      allowAnyOrigin(res);
      const retryAfter = await limiter.take(req.socket.remoteAddress ?? 'unknown');
      if (retryAfter > 0) throw new HttpError('DL_TOKEN_RATE_LIMITED', undefined, { retryAfterSeconds: retryAfter });
      if (!issue) throw new HttpError('DL_DISABLED');
      const userId = `dl_${randomBytes(12).toString('base64url')}`;
      const issued = await issue(userId);
      const body: TokenResponse = { ...issued, userId, domain: domain(req) };
      res.header('Cache-Control', 'no-store');
      res.send(200, body);
    }),
  );
}

