import type { IncomingMessage } from 'node:http';
import type { Next, Request, Response, Server } from 'restify';
import type { Logger } from '../../../log';
import { HttpError } from '../../../server/http-error';
import { routeHandler } from '../../../server/route-handler';
import { checkChatwootSignature } from './signature';

export const CHATWOOT_WEBHOOK_PATH = '/api/handoff/chatwoot';
/** As the server's body reader: a longer body is refused (413) before this route runs. */
const MAX_RAW_BYTES = 256 * 1024;

export interface ChatwootWebhookOptions {
  secret: string;
  /** Applies a verified event (the desk's handleWebhook). */
  handle: (body: unknown) => Promise<void>;
  log: Logger;
  /** Unix seconds (tests move the clock). */
  now?: () => number;
}

/**
 * POST /api/handoff/chatwoot: Chatwoot's webhook for the API-channel inbox.
 * The signature covers the raw bytes, which the server's JSON body reader
 * does not keep, so a `pre` handler arranges to copy this route's bytes as
 * the reader takes them.
 * Missing, stale (over 5 minutes) or wrong signatures get 401; the body
 * reader has already answered malformed bodies with 400/413/415. A verified
 * event is answered 204 at once and applied after (Chatwoot waits 5 s at
 * most), in arrival order per conversation.
 */
export function registerChatwootWebhook(server: Server, { secret, handle, log, now = () => Math.floor(Date.now() / 1000) }: ChatwootWebhookOptions): void {
  if (!secret) throw new Error('registerChatwootWebhook needs "secret"');
  const raw = new WeakMap<IncomingMessage, Promise<Buffer>>();
  server.pre((req: Request, _res: Response, next: Next) => {
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === CHATWOOT_WEBHOOK_PATH) raw.set(req, copyBody(req));
    next();
  });
  server.post(
    CHATWOOT_WEBHOOK_PATH,
    routeHandler(log)(CHATWOOT_WEBHOOK_PATH, async (req, res) => {
      const body = (await raw.get(req)) ?? Buffer.alloc(0);
      const check = checkChatwootSignature({ secret, timestamp: header(req, 'x-chatwoot-timestamp'), signature: header(req, 'x-chatwoot-signature'), body, now: now() });
      if (check !== 'ok') {
        log.warn('refused a Chatwoot webhook', { reason: check });
        throw new HttpError('CHATWOOT_SIGNATURE_REJECTED');
      }
      res.writeHead(204);
      res.end();
      handle(req.body).catch((error: unknown) => log.error('a Chatwoot webhook event failed', { error: String((error as Error)?.stack ?? error) }));
    }),
  );
}

/**
 * The request's bytes as the body reader takes them (up to its limit): the
 * stream's own `emit` is wrapped, so this neither reads nor starts the
 * stream; it sees each chunk when the reader does.
 */
function copyBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const emit = req.emit;
    req.emit = function copying(this: IncomingMessage, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'data' && Buffer.isBuffer(args[0])) {
        size += args[0].length;
        if (size <= MAX_RAW_BYTES) chunks.push(args[0]);
      } else if (event === 'end' || event === 'close' || event === 'error') {
        req.emit = emit;
        resolve(Buffer.concat(chunks, Math.min(size, MAX_RAW_BYTES)));
      }
      return emit.call(this, event, ...args);
    } as typeof req.emit;
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}
