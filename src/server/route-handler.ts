import type { Request, Response } from 'restify';
import type { Logger } from '../log';
import { asHttpError, sendError } from './error-boundary';

export type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * Runs a route so that whatever it throws becomes a catalogue answer: an
 * HttpError says what was wrong, anything else is a 500 whose detail is
 * logged here and never sent.
 */
export function routeHandler(log: Logger) {
  return (route: string, fn: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await fn(req, res);
      } catch (error) {
        const known = asHttpError(error);
        if (known.status >= 500) {
          const cause = known === error ? known.cause : error;
          log.error('request failed', { route, method: req.method, code: known.code, ...activityIds(req.body), error: String((cause as Error)?.stack ?? cause ?? known.message) });
        }
        sendError(res, known);
      }
    };
}

/** The ids of the activity a request carries, if it carries one: every error about a turn names its conversation. */
function activityIds(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object') return {};
  const { conversation, channelId, id } = body as { conversation?: { id?: unknown }; channelId?: unknown; id?: unknown };
  const ids: Record<string, string> = {};
  if (typeof conversation?.id === 'string') ids.conversationId = conversation.id;
  if (typeof channelId === 'string') ids.channelId = channelId;
  if (typeof id === 'string') ids.activityId = id;
  return ids;
}
