import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { TranscriptLoggerMiddleware } from 'botbuilder';
import type { Middleware } from 'botbuilder';
import type Database from 'better-sqlite3';
import type { Config } from '../config';
import type { Content } from '../content/types';
import { answerLexicon } from '../dialogs/answers/prompts';
import { Replies } from '../dialogs/replies';
import type { Thresholds } from '../dialogs/routing';
import type { Logger } from '../log';
import type { Nlu } from '../nlu/types';
import { PROJECT_ROOT } from '../project';
import { SqliteTranscriptStore } from '../storage';
import type { TickWrites } from '../storage/tick-writes';
import { RedisTranscriptStore } from '../storage/redis-transcript-store';
import type { TranscriptArchive } from '../storage/transcript-archive';
import { hashPassword, parseAgentAccounts } from './agent-accounts';
import type { AgentAccount } from './agent-accounts';
import { SqliteAgentSessions } from './agent-sessions';
import type { AgentSessions } from './agent-sessions';
import { ConsoleDesk } from './console-desk';
import { HandoffCore } from './handoff-core';
import { HandoffMiddleware } from './handoff-middleware';
import { LocalHandoffFeed } from './handoff-feed';
import type { HandoffFeed } from './handoff-feed';
import { SqliteHandoffStore } from './handoff-store';
import type { HandoffStore } from './handoff-store';
import { MemoryLoginThrottle } from './login-throttle';
import type { LoginThrottle } from './login-throttle';
import { RedisAgentSessions } from './redis-agent-sessions';
import { RedisHandoffFeed } from './redis-handoff-feed';
import { RedisHandoffStore } from './redis-handoff-store';
import { RedisLoginThrottle } from './redis-login-throttle';
import type { SharedRedis } from '../scale/redis-client';
import { setUpDesks } from './desks';
import type { Desks } from './desks';
import { parseSupportHours } from './support-hours';
import { transcriptLines } from './transcript-lines';

export { registerAgentRoutes, registerSessionRoutes } from './agent-routes';
export type { AgentDesk, DeskLink, HandoffRequest, HandoffStatusValue } from './desk';
export type { AgentDeskService } from './types';

export interface HandoffSetupOptions {
  config: Pick<Config, 'handoff' | 'teamsAgentIds' | 'host' | 'desks'>;
  /** The database's writes per tick (transcript rows join them); one of the transcripts' own when not given. */
  writes?: TickWrites;
  /** The bot's SQLite database (the state's): transcripts, hand-offs and sessions live beside the state. */
  database: Database.Database;
  content: Content;
  nlu: Nlu;
  thresholds: Thresholds;
  log: Logger;
  /** REDIS_URL's connections: records, sessions, the sign-in throttle and the live events are then shared by every instance. */
  redis?: SharedRedis;
}

export interface HandoffSetup {
  core: HandoffCore;
  /** The built-in desk (the agents' service for /agent and Teams agents). */
  desk: ConsoleDesk;
  /** The external desks (issue 12); `desks.desk` set = it takes the hand-offs instead of the console desk. */
  desks: Desks;
  store: HandoffStore;
  /** Every conversation's transcript (SQLite beside the state, or Redis shared by every instance). */
  transcripts: TranscriptArchive;
  /** For the bot, after understanding: the transcript logger, then the hand-off relay. */
  middleware: Middleware[];
  accounts: ReadonlyMap<string, AgentAccount>;
  sessions: AgentSessions;
  throttle: LoginThrottle;
  pageDir: string;
  /** The one-off password of the default `agent` account, when there is one (see consoleAccounts). */
  oneOffPassword?: string;
  close(): void;
}

/** Creates the hand-off's parts on the bot's database: records, transcripts, the built-in console desk, the relay. */
export function setUpHandoff({ config, database, writes, content, nlu, thresholds, log, redis }: HandoffSetupOptions): HandoffSetup {
  const { store, sessions, throttle, feed } = sharedParts(database, redis, log);
  const transcripts: TranscriptArchive = redis ? new RedisTranscriptStore(redis.client, redis.prefix) : new SqliteTranscriptStore(database, writes, (error) => log.error('transcripts: a row was not written', { error: String(error) }));
  const { accounts: list, oneOffPassword } = consoleAccounts(config, log);
  const accounts = new Map(list.map((a) => [a.name, a]));
  const desk = new ConsoleDesk({
    store,
    transcript: async (conversationId) => transcriptLines(await transcripts.activities(conversationId)),
    hours: parseSupportHours(config.handoff.supportHours),
    timeoutSeconds: config.handoff.timeoutSeconds,
    agentsExist: accounts.size > 0 || config.teamsAgentIds.length > 0,
    log,
    feed,
  });
  const desks = setUpDesks({ config: config.desks, database, store, text: content.messages.text, log, ...(redis ? { redis } : {}) });
  const active = desks.desk ?? desk;
  const core = new HandoffCore({ store, transcripts, desk: active, nlu, supportHours: config.handoff.supportHours, log });
  // Only the desk in charge is connected: the console's sweep would otherwise time out another desk's hand-offs (same store).
  active.connect(core);
  const relay = new HandoffMiddleware({
    core,
    store,
    desk: active,
    messages: content.messages,
    replies: new Replies(content),
    lexicon: answerLexicon(content.messages, thresholds.answers),
    route: thresholds.route,
    log,
  });
  const transcriptLogger = new TranscriptLoggerMiddleware(transcripts);
  return {
    core,
    desk,
    desks,
    store,
    transcripts,
    // Omnichannel's escalation and the Direct Line pass-through must see handoff.initiate before the relay takes it.
    middleware: [transcriptLogger, ...desks.middleware, relay],
    accounts,
    sessions,
    throttle,
    pageDir: join(PROJECT_ROOT, 'src', 'web', 'public', 'agent'),
    ...(oneOffPassword ? { oneOffPassword } : {}),
    close: () => {
      desk.close();
      desks.close();
    },
  };
}

/**
 * What the instances share: in the bot's SQLite database and this process
 * (one instance), or in Redis (REDIS_URL, several instances).
 */
function sharedParts(database: Database.Database, redis: SharedRedis | undefined, log: Logger): { store: HandoffStore; sessions: AgentSessions; throttle: LoginThrottle; feed: HandoffFeed } {
  const feedError = (error: unknown) => log.warn('hand-off live events: a listener or Redis failed', { error: String(error) });
  if (!redis) return { store: new SqliteHandoffStore(database), sessions: new SqliteAgentSessions(database), throttle: new MemoryLoginThrottle(), feed: new LocalHandoffFeed(feedError) };
  return {
    store: new RedisHandoffStore({ redis: redis.client, prefix: redis.prefix }),
    sessions: new RedisAgentSessions(redis.client, redis.prefix),
    throttle: new RedisLoginThrottle(redis.client, redis.prefix),
    feed: new RedisHandoffFeed(redis, feedError),
  };
}

/**
 * AGENT_ACCOUNTS; with none set and the server on loopback only (the `npm
 * start` default), one `agent` admin account with a random password, said
 * once in the log, so the console works out of the box on the developer's
 * own machine and nowhere else.
 */
function consoleAccounts(config: Pick<Config, 'handoff' | 'host'>, log: Logger): { accounts: AgentAccount[]; oneOffPassword?: string } {
  const accounts = parseAgentAccounts(config.handoff.agentAccounts);
  if (accounts.length > 0) return { accounts };
  if (!isLoopback(config.host)) {
    log.warn('agent console: no AGENT_ACCOUNTS configured, so nobody can sign in at /agent (see the README, "Hand-off")');
    return { accounts: [] };
  }
  const password = randomBytes(12).toString('base64url');
  log.info('agent console: no AGENT_ACCOUNTS configured; until restart, sign in at /agent as "agent" with this one-off password', { password });
  return { accounts: [{ name: 'agent', role: 'admin', hash: hashPassword(password) }], oneOffPassword: password };
}

function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === 'localhost';
}
