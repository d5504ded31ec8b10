import type Database from 'better-sqlite3';
import type { Middleware } from 'botbuilder';
import type { Server } from 'restify';
import type { Messages } from '../../content/types';
import type { Logger } from '../../log';
import type { AgentDesk } from '../desk';
import type { HandoffStore } from '../handoff-store';
import { ChatwootClient } from './chatwoot/client';
import { ChatwootDesk } from './chatwoot/desk';
import { SqliteChatwootOutbox } from './chatwoot/outbox';
import { RedisChatwootOutbox } from './chatwoot/redis-outbox';
import type { SharedRedis } from '../../scale/redis-client';
import { registerChatwootWebhook } from './chatwoot/webhook';
import type { DeskConfig } from './config';
import { DirectLinePassthrough } from './directline-passthrough';
import { OmnichannelMiddleware } from './omnichannel';

export { loadDeskConfig } from './config';
export type { ChatwootConfig, DeskConfig } from './config';
export { ChatwootDesk } from './chatwoot/desk';
export { CHATWOOT_WEBHOOK_PATH } from './chatwoot/webhook';

export interface DesksOptions {
  config: DeskConfig;
  /** The bot's database: Chatwoot's links and outbox live beside the hand-offs. */
  database: Database.Database;
  store: HandoffStore;
  text: Messages['text'];
  log: Logger;
  /** REDIS_URL's connections: Chatwoot's links and outbox are then shared by every instance. */
  redis?: SharedRedis;
  /** Chatwoot client tuning (tests shorten the pauses). */
  chatwoot?: { attempts?: number; backoffMs?: number; timeoutMs?: number; retryEveryMs?: number };
}

export interface Desks {
  /** The external desk HANDOFF_DESK chose; undefined = the built-in console desk. */
  desk?: AgentDesk;
  /** Omnichannel's escalation and the Direct Line pass-through: install right before the hand-off relay. */
  middleware: Middleware[];
  /** The routes the desk needs (Chatwoot's webhook at /api/handoff/chatwoot). */
  registerRoutes(server: Server, log: Logger): void;
  close(): void;
}

/**
 * The desks beside the built-in console: Chatwoot when HANDOFF_DESK=chatwoot,
 * and always the channel-specific hand-offs (Omnichannel's escalation on
 * channel `omnichannel`; with HANDOFF_PASSTHROUGH=directline, the event
 * passed on to Direct Line clients).
 */
export function setUpDesks({ config, database, store, text, log, redis, chatwoot: tuning = {} }: DesksOptions): Desks {
  const labels = text;
  const middleware: Middleware[] = [new OmnichannelMiddleware({ store, labels })];
  if (config.passthrough === 'directline') middleware.push(new DirectLinePassthrough({ store, labels }));
  if (config.desk !== 'chatwoot' || !config.chatwoot) return { middleware, registerRoutes: () => undefined, close: () => undefined };

  const settings = config.chatwoot;
  const desk = new ChatwootDesk({
    client: new ChatwootClient({ url: settings.url, accountId: settings.accountId, apiToken: settings.apiToken, ...pick(tuning, ['attempts', 'backoffMs', 'timeoutMs']) }),
    outbox: redis ? new RedisChatwootOutbox(redis.client, redis.prefix) : new SqliteChatwootOutbox(database),
    store,
    inboxId: settings.inboxId,
    ...(settings.teamId ? { teamId: settings.teamId } : {}),
    labels: settings.labels,
    text,
    log,
    retryEveryMs: tuning.retryEveryMs ?? settings.retrySeconds * 1000,
  });
  return {
    desk,
    middleware,
    registerRoutes: (server, routeLog) => registerChatwootWebhook(server, { secret: settings.webhookSecret, handle: (body) => desk.handleWebhook(body), log: routeLog }),
    close: () => desk.close(),
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
