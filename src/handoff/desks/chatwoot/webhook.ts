import type { IncomingMessage } from 'node:http';
import type { Server } from 'restify';
import type { Logger } from '../../../log';
import { HttpError } from '../../../server/http-error';
import { rawBodyOf } from '../../../server/json-body';
import { routeHandler } from '../../../server/route-handler';
import { checkChatwootSignature } from './signature';

export const CHATWOOT_WEBHOOK_PATH = '/api/handoff/chatwoot';

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
 * keeps beside the parsed body (`rawBodyOf`).
 * Missing, stale (over 5 minutes) or wrong signatures get 401; the body
 * reader has already answered malformed bodies with 400/413/415. A verified
 * event is answered 204 at once and applied after (Chatwoot waits 5 s at
 * most), in arrival order per conversation.
 */
export function registerChatwootWebhook(server: Server, { secret, handle, log, now = () => Math.floor(Date.now() / 1000) }: ChatwootWebhookOptions): void {
  if (!secret) throw new Error('registerChatwootWebhook needs "secret"');
  server.post(
    CHATWOOT_WEBHOOK_PATH,
    routeHandler(log)(CHATWOOT_WEBHOOK_PATH, async (req, res) => {
      const body = rawBodyOf(req) ?? Buffer.alloc(0);
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}
