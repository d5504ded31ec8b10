import restify from 'restify';
import type { Next, Request, Response, Server } from 'restify';
import type { Logger } from '../log';
import type { Nlu } from '../nlu/types';
import { BotEdgeAdapter } from './bot-framework-edge';
import { assertSameOrigin } from './cross-site';
import { asHttpError, markAnswered, sendError } from './error-boundary';
import { HttpError } from './http-error';
import type { ErrorCode } from './http-error';
import { jsonBody } from './json-body';
import type { Metrics } from './metrics';
import { guardHttpServer } from './request-guard';
import { routeHandler } from './route-handler';
import type { TurnRunner } from './turn-runner';

export interface ServerDeps {
  /** Runs an activity's turn (the same runner serves the built-in Direct Line). */
  runTurn: TurnRunner;
  nlu: Nlu;
  /** Bot Framework auth on (MicrosoftAppId set): a request without a bearer token is refused before its body is read. */
  authOn: boolean;
  /** PUBLIC_URL, or empty: this server's origin for the cross-site check. */
  publicUrl: string;
  metrics: Metrics;
  health: () => Record<string, unknown>;
  /** Throws NOT_READY (503) when the bot should get no traffic. */
  ready: () => Promise<void>;
  draining: () => boolean;
  log: Logger;
}

/** Requests bigger than this are refused with 413: no activity or parse request needs more. */
export const MAX_BODY_BYTES = 256 * 1024;
const MAX_PARSE_TEXT = 2000;

/** What restify answers by itself (no route, wrong method), in our catalogue; anything else it raises is a 500. */
const RESTIFY_ERRORS = new Map<number, ErrorCode>([
  [400, 'BAD_REQUEST'],
  [404, 'NOT_FOUND'],
  [405, 'METHOD_NOT_ALLOWED'],
  [406, 'NOT_ACCEPTABLE'],
  [413, 'BODY_TOO_LARGE'],
  [415, 'UNSUPPORTED_MEDIA_TYPE'],
]);

export function createServer(deps: ServerDeps): Server {
  const { runTurn, nlu, authOn, publicUrl, metrics, health, ready, draining, log } = deps;
  const server = restify.createServer({ name: 'whatsapp-icloud-backup-bot', handleUncaughtExceptions: false });
  guardHttpServer(server.server, { log, draining, countError: (code, status) => metrics.httpError(code, status) });

  // restify's own errors get our body, never its message (which can carry internal text).
  server.on('restifyError', (req: Request, res: Response, error: Error & { statusCode?: number; toJSON?: () => unknown }, done: () => void) => {
    const code = RESTIFY_ERRORS.get(error.statusCode ?? 0) ?? 'TURN_FAILED';
    if (code === 'TURN_FAILED') log.error('request failed inside restify', { method: req.method, error: String(error.stack ?? error) });
    const known = new HttpError(code);
    error.toJSON = () => known.toBody();
    markAnswered(res, code);
    return done();
  });

  // Checks that must pass before a body is read, by route; the one body reader then runs for every route.
  const sameOrigin = (req: Request) => assertSameOrigin(req, publicUrl);
  const beforeBody = new Map<string, Array<(req: Request) => void>>([
    ['/api/messages', authOn ? [sameOrigin, BotEdgeAdapter.assertBearerPresent] : [sameOrigin]],
    ['/api/nlu/parse', [sameOrigin]],
  ]);
  server.use((req: Request, res: Response, next: Next) => {
    try {
      for (const check of beforeBody.get(String(req.getRoute()?.path ?? '')) ?? []) check(req);
      next();
    } catch (error) {
      sendError(res, asHttpError(error), { close: true });
      next(false);
    }
  });
  server.use(jsonBody({ maxBytes: MAX_BODY_BYTES }));

  const handle = routeHandler(log);

  server.post(
    '/api/messages',
    handle('/api/messages', async (req, res) => {
      // Shape and serviceUrl are checked by the runner; errors are logged with the turn's ids by the route handler.
      const answer = await runTurn(req.body as Record<string, unknown>, req.headers.authorization ?? '');
      if (answer.body === undefined) {
        res.writeHead(answer.status);
        res.end();
      } else res.send(answer.status, answer.body);
    }),
  );

  server.get(
    '/healthz',
    handle('/healthz', async (_req, res) => {
      res.send(200, { status: 'ok', ...health() });
    }),
  );

  server.get(
    '/readyz',
    handle('/readyz', async (_req, res) => {
      await ready();
      res.send(200, { status: 'ready' });
    }),
  );

  server.get(
    '/metrics',
    handle('/metrics', async (_req, res) => {
      const body = await metrics.render();
      res.sendRaw(200, body, { 'Content-Type': metrics.contentType });
    }),
  );

  server.post(
    '/api/nlu/parse',
    handle('/api/nlu/parse', async (req, res) => {
      const text = (req.body as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' || text.length > MAX_PARSE_TEXT) throw new HttpError('BAD_PARSE_REQUEST');
      res.send(200, nlu.parse(text));
    }),
  );

  return server;
}
