import type { Request, Response } from 'restify';
import type { Logger } from '../../log';
import { HttpError } from '../../server/http-error';

export type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * Same contract as the server's own handler: an HttpError becomes
 * `{ error: { code, message } }` with its status, anything else a logged 500.
 */
export function routeHandler(log: Logger) {
  return (route: string, fn: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await fn(req, res);
      } catch (error) {
        const known = error instanceof HttpError ? error : new HttpError('TURN_FAILED', undefined, { cause: error });
        if (known.status >= 500) log.error('request failed', { route, error: String((error as Error)?.stack ?? error) });
        if (!res.headersSent) res.send(known.status, known.toBody());
      }
    };
}

/** The server's base URL as the caller reached it: PUBLIC_URL when set (behind a proxy), else the request's Host. */
export function requestBase(req: Request, publicUrl: string, fallback: () => string): string {
  if (publicUrl) return publicUrl;
  const host = req.headers.host;
  if (!host || !/^[\w.:[\]-]+$/.test(host)) return fallback();
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim();
  return `${forwarded === 'https' ? 'https' : 'http'}://${host}`;
}

/** Direct Line is called from pages on any origin with a bearer token (no cookies), as Azure allows. */
export function allowAnyOrigin(res: Response): void {
  res.header('Access-Control-Allow-Origin', '*');
  res.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent');
  res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.header('Access-Control-Max-Age', '600');
}
