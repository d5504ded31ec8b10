import restify from 'restify';
import type { Request, Response, Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { TurnContext } from 'botbuilder-core';
import type { Logger } from '../log';
import type { Nlu } from '../nlu/types';
import { assertActivityShape } from './activity-shape';
import { HttpError } from './http-error';
import type { ErrorCode } from './http-error';
import { routeHandler } from './route-handler';

export interface ServerDeps {
  adapter: CloudAdapter;
  runTurn: (context: TurnContext) => Promise<void>;
  nlu: Nlu;
  health: () => Record<string, unknown>;
  log: Logger;
}

/** Requests bigger than this are refused with 413: no activity or parse request needs more. */
export const MAX_BODY_BYTES = 256 * 1024;
const MAX_PARSE_TEXT = 2000;

export function createServer({ adapter, runTurn, nlu, health, log }: ServerDeps): Server {
  const server = restify.createServer({ name: 'whatsapp-icloud-backup-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  const handle = routeHandler(log);

  // restify answers some errors itself (bad JSON, too large, unknown route): same body shape as ours.
  const RESTIFY_ERRORS: Record<number, ErrorCode> = { 400: 'BAD_JSON', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };
  server.on('restifyError', (_req: Request, _res: Response, error: Error & { statusCode?: number; toJSON?: () => unknown }, done: () => void) => {
    const code = RESTIFY_ERRORS[error.statusCode ?? 0];
    if (code) error.toJSON = () => new HttpError(code).toBody();
    return done();
  });

  server.post(
    '/api/messages',
    handle('/api/messages', async (req, res) => {
      assertActivityShape(req.body);
      await adapter.process(req, res, runTurn);
    }),
  );

  server.get(
    '/healthz',
    handle('/healthz', async (_req, res) => {
      res.send(200, { status: 'ok', ...health() });
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
