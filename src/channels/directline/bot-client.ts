import { Agent, fetch } from 'undici';
import { HttpError } from '../../server/http-error';
import type { WireActivity } from './conversation-log';

/** Runs a turn in this process and says how it went: what POST /api/messages would answer. */
export type DeliverTurn = (activity: Record<string, unknown>) => Promise<{ status: number }>;

export interface BotClientOptions {
  /** The bot's messaging endpoint; a function because the port is known only after listen(). */
  endpoint: () => string;
  timeoutMs: number;
  /** Connections to the bot at most, reused between turns (keep-alive): file descriptors stay bounded under load. */
  connections: number;
}

export interface BotClient {
  /** Resolves once the bot has finished the turn (its replies have reached the connector route by then). */
  post(activity: WireActivity): Promise<void>;
  /** Closes the pooled connections; turns still in flight are cut. */
  close(): Promise<void>;
}

/**
 * Posts an activity to the bot over HTTP, as Azure Direct Line does, so the
 * bot runs exactly the path it runs in production. Failures become
 * DL_BOT_UNAVAILABLE; what went wrong travels as the error's cause, for the
 * log only, never for the client.
 */
export function createBotClient({ endpoint, timeoutMs, connections }: BotClientOptions): BotClient {
  if (typeof endpoint !== 'function') throw new Error('createBotClient needs an endpoint function');
  if (!(timeoutMs > 0)) throw new Error('createBotClient needs timeoutMs > 0');
  if (!Number.isInteger(connections) || connections < 1) throw new Error('createBotClient needs connections >= 1');
  const agent = new Agent({ connections, keepAliveTimeout: 4_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async post(activity) {
      let status: number;
      try {
        const response = await fetch(endpoint(), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
          signal: AbortSignal.timeout(timeoutMs),
          dispatcher: agent,
        });
        status = response.status;
        // Read to the end, so the connection goes back to the pool.
        await response.arrayBuffer();
      } catch (error) {
        throw new HttpError('DL_BOT_UNAVAILABLE', undefined, { cause: error });
      }
      if (status >= 400) throw new HttpError('DL_BOT_UNAVAILABLE', undefined, { cause: new Error(`the bot answered ${status}`) });
    },
    async close() {
      await agent.destroy();
    },
  };
}

/**
 * Hands an activity to the bot in this process: the same turn runner that
 * POST /api/messages uses, without a loopback HTTP round trip. The activity
 * goes as it would on the wire (a JSON copy), failures and a turn past
 * `timeoutMs` become DL_BOT_UNAVAILABLE as over HTTP; a timed-out turn, as
 * over HTTP, still runs to its end.
 */
export function createInProcessBotClient({ deliver, timeoutMs }: { deliver: DeliverTurn; timeoutMs: number }): BotClient {
  if (typeof deliver !== 'function') throw new Error('createInProcessBotClient needs a deliver function');
  if (!(timeoutMs > 0)) throw new Error('createInProcessBotClient needs timeoutMs > 0');
  return {
    async post(activity) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the bot took longer than ${timeoutMs} ms`)), timeoutMs);
      });
      let status: number;
      try {
        ({ status } = await Promise.race([deliver(JSON.parse(JSON.stringify(activity)) as Record<string, unknown>), timedOut]));
      } catch (error) {
        throw new HttpError('DL_BOT_UNAVAILABLE', undefined, { cause: error });
      } finally {
        clearTimeout(timer);
      }
      if (status >= 400) throw new HttpError('DL_BOT_UNAVAILABLE', undefined, { cause: new Error(`the bot answered ${status}`) });
    },
    async close() {},
  };
}
