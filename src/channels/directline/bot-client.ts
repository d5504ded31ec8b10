import { HttpError } from '../../server/http-error';
import type { WireActivity } from './conversation-store';

export interface BotClientOptions {
  /** The bot's messaging endpoint; a function because the port is known only after listen(). */
  endpoint: () => string;
  timeoutMs: number;
}

export type BotClient = (activity: WireActivity) => Promise<void>;

/**
 * Posts an activity to the bot over HTTP, as Azure Direct Line does, so the
 * bot runs exactly the path it runs in production. Resolves once the bot has
 * finished the turn (its replies have reached the connector route by then).
 */
export function createBotClient({ endpoint, timeoutMs }: BotClientOptions): BotClient {
  if (typeof endpoint !== 'function') throw new Error('createBotClient needs an endpoint function');
  if (!(timeoutMs > 0)) throw new Error('createBotClient needs timeoutMs > 0');
  return async (activity) => {
    let response: Response;
    try {
      response = await fetch(endpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new HttpError('DL_BOT_UNAVAILABLE', undefined, { cause: error });
    }
    const body = await response.text();
    // The bot's body stays server side (logged via the cause): a client only learns that the bot refused.
    if (response.status >= 400) {
      throw new HttpError('DL_BOT_UNAVAILABLE', undefined, { cause: new Error(`the bot answered ${response.status}: ${body.slice(0, 200)}`) });
    }
  };
}
