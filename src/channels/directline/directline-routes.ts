import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Server } from 'restify';
import type { Logger } from '../../log';
import { HttpError } from '../../server/http-error';
import { DIRECT_LINE_PATH } from './directline-service';
import type { DirectLineService } from './directline-service';
import { routeHandler } from '../../server/route-handler';
import { allowAnyOrigin, requestBase } from './route-handler';

export interface DirectLineRoutesOptions {
  service: DirectLineService;
  /**
   * Secret path segment of the connector route: only the bot learns it (in
   * `serviceUrl`). Undefined until known (it may be derived from a secret agreed with other instances).
   */
  connectorKey: () => string | undefined;
  publicUrl: string;
  selfUrl: () => string;
  log: Logger;
}

export { DIRECT_LINE_PATH };

/** Direct Line 3.0 for clients at /v3/directline, and the connector route the bot replies to. */
export function registerDirectLineRoutes(server: Server, { service, connectorKey, publicUrl, selfUrl, log }: DirectLineRoutesOptions): void {
  const handle = routeHandler(log);
  const base = (req: Request) => requestBase(req, publicUrl, selfUrl);
  const caller = (req: Request) => service.authenticate(req.headers.authorization);
  const param = (req: Request, name: string) => String((req.params as Record<string, string>)[name] ?? '');
  // No queryParser plugin on this server: read the one query parameter Direct Line uses directly.
  const watermark = (req: Request) => new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? undefined;
  const client = (route: string, fn: Parameters<typeof handle>[1]) =>
    handle(route, async (req, res) => {
      allowAnyOrigin(res);
      await fn(req, res);
    });

  server.opts(`${DIRECT_LINE_PATH}/*`, async (_req, res) => {
    allowAnyOrigin(res);
    res.send(204);
  });
  server.post(`${DIRECT_LINE_PATH}/tokens/generate`, client('tokens/generate', async (req, res) => {
    const user = (req.body as { user?: { id?: unknown } } | undefined)?.user;
    res.send(200, await service.generateToken(await caller(req), user?.id));
  }));
  server.post(`${DIRECT_LINE_PATH}/tokens/refresh`, client('tokens/refresh', async (req, res) => {
    res.send(200, await service.refreshToken(await caller(req)));
  }));
  server.post(`${DIRECT_LINE_PATH}/conversations`, client('conversations', async (req, res) => {
    res.send(201, await service.startConversation(await caller(req), base(req)));
  }));
  server.get(`${DIRECT_LINE_PATH}/conversations/:conversationId`, client('conversations/:id', async (req, res) => {
    res.send(200, await service.reconnect(await caller(req), param(req, 'conversationId'), watermark(req), base(req)));
  }));
  server.post(`${DIRECT_LINE_PATH}/conversations/:conversationId/activities`, client('activities', async (req, res) => {
    res.send(200, await service.postActivity(await caller(req), param(req, 'conversationId'), req.body));
  }));
  server.get(`${DIRECT_LINE_PATH}/conversations/:conversationId/activities`, client('activities', async (req, res) => {
    res.send(200, await service.activities(await caller(req), param(req, 'conversationId'), watermark(req)));
  }));
  server.post(`${DIRECT_LINE_PATH}/conversations/:conversationId/upload`, client('upload', async (req) => {
    await service.activities(await caller(req), param(req, 'conversationId'), undefined); // 401/403/404 come first
    throw new HttpError('DL_UPLOAD_UNSUPPORTED', 'Send a link in a message instead.');
  }));

  // The bot's side (its serviceUrl). Only replies are supported; the bot never updates or deletes.
  const connector = '/directline-connector/:connectorKey/v3/conversations/:conversationId/activities';
  const reply = handle('directline-connector', async (req, res) => {
    if (!sameKey(param(req, 'connectorKey'), connectorKey())) throw new HttpError('NOT_FOUND');
    const replyTo = param(req, 'replyToId');
    res.send(200, await service.receiveFromBot(param(req, 'conversationId'), req.body, replyTo || undefined));
  });
  server.post(connector, reply);
  server.post(`${connector}/:replyToId`, reply);
}

/** Constant-time comparison of the connector key: a guess learns nothing from timing. */
function sameKey(given: string, expected: string | undefined): boolean {
  if (expected === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, createHash('sha256').update(expected).digest());
}
