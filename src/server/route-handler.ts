import type { Request, Response } from 'restify';
import type { Logger } from '../log';
import { HttpError } from './http-error';

export type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * The one place an error becomes a response, for every route: an HttpError
 * says what was wrong (`{ error: { code, message } }` with its status),
 * anything else is a logged 500.
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
