import { resolve } from 'node:path';
import { parseAgentAccounts } from './handoff/agent-accounts';
import { loadDeskConfig } from './handoff/desks';
import type { DeskConfig } from './handoff/desks';
import { parseSupportHours } from './handoff/support-hours';

/** Everything the bot reads from the environment, typed and checked once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** Folder for the embedded SQLite state file. */
  dataDir: string;
  dialogsDir: string;
  intentsDir: string;
  /** Bot Framework auth: on when appId is set, off (local use) otherwise. */
  auth: {
    appId: string;
    appPassword: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId: string;
  };
  appleStatus: { url: string; timeoutMs: number; cacheMs: number };
  /** Overrides of the classifier's measured thresholds, if set. */
  nluThresholds: { route?: number; ask?: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** With auth off: where replies may go besides loopback and this server (origins or URL prefixes). */
  allowedServiceUrls: string[];
  /** What `npm run teams:package` puts in the Teams app manifest; the bot itself does not read it. */
  teamsApp: TeamsAppConfig;
  /** The web widget's Direct Line: the built-in service, or Azure when `secret` is set. */
  directLine: {
    /** Azure Direct Line secret; empty = use the built-in service. */
    secret: string;
    /** Azure Direct Line base URL (regional endpoints differ). */
    endpoint: string;
    /** The built-in service's secret and token-signing key; empty = random per process. */
    builtinSecret: string;
    tokenTtlSeconds: number;
    /** Token route requests allowed per client address per minute. */
    tokenRatePerMinute: number;
    /** This server's public base URL (behind a proxy); empty = taken from each request's Host. */
    publicUrl: string;
  };
  /** The hand-off to a person. */
  handoff: {
    /** AGENT_ACCOUNTS as written: `name:role:scrypt$salt$hash`, comma-separated (checked when the app starts). */
    agentAccounts: string;
    /** SUPPORT_HOURS, e.g. `Mon-Fri 09:00-17:00 Europe/London`; empty = always. */
    supportHours: string;
    /** A request nobody accepts within this many seconds is told no one is available. */
    timeoutSeconds: number;
  };
  /** TEAMS_AGENT_IDS: Teams users (29:… ids or Entra object ids) who act as agents in their 1:1 chat with the bot. */
  teamsAgentIds: string[];
  /** HANDOFF_DESK, HANDOFF_PASSTHROUGH, CHATWOOT_* (see src/handoff/desks/config.ts). */
  desks: DeskConfig;
  /** How long insights events, ratings, inbox messages and transcripts are kept, and when an idle conversation counts as abandoned. */
  insights: { enabled: boolean; retentionDays: number; abandonAfterMinutes: number };
  /**
   * REDIS_URL: when set, everything several instances must share (state, turn order, the built-in
   * Direct Line, hand-offs, insights) lives in this Redis; empty = the embedded SQLite of one instance.
   * REDIS_KEY_PREFIX keeps several bots apart in one Redis.
   */
  redis: { url: string; keyPrefix: string };
}

/** The Teams app package's identity and publisher links; the URLs must be https (Teams requires it). */
export interface TeamsAppConfig {
  /** The bot's id in the manifest: MicrosoftAppId. */
  botId: string;
  /** The Teams app id (a GUID); defaults to MicrosoftAppId. */
  appId: string;
  /** Name shown in Teams, at most 30 characters. */
  name: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com/v3/directline';
export const APPLE_STATUS_URL = 'https://www.apple.com/support/systemstatus/data/system_status_en_US.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Typed readers over the environment that note every problem instead of
 * throwing at the first, so one start-up reports them all.
 */
function settingsReader(env: Env, problems: string[]) {
  const text = (name: string, fallback = ''): string => (env[name] ?? '').trim() || fallback;
  const checkUrl = (name: string, value: string, { https = false, origin = false }): void => {
    const scheme = https ? 'https' : 'https?';
    const pattern = origin ? new RegExp(`^${scheme}://[^/\\s]+$`) : new RegExp(`^${scheme}://[^\\s/]+\\S*$`);
    if (!pattern.test(value) || !URL.canParse(value)) {
      problems.push(`${name} must be an ${https ? 'https' : 'http(s)'} ${origin ? 'origin like https://bot.example.com' : 'URL'} (got "${value}")`);
    }
  };
  return {
    text,
    int(name: string, fallback: number, min: number, max: number): number {
      const raw = text(name);
      if (!raw) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
        return fallback;
      }
      return value;
    },
    fraction(name: string): number | undefined {
      const raw = text(name);
      if (!raw) return undefined;
      const value = Number(raw);
      if (!(value > 0 && value < 1)) problems.push(`${name} must be a number between 0 and 1 (got "${raw}")`);
      return value;
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const raw = text(name);
      if (!raw) return fallback;
      if ((allowed as readonly string[]).includes(raw)) return raw as T;
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    },
    /** A URL without a trailing slash; `https` demands https, `origin` forbids a path. Empty stays empty. */
    url(name: string, fallback = '', { https = false, origin = false } = {}): string {
      const value = text(name, fallback).replace(/\/+$/, '');
      if (value) checkUrl(name, value, { https, origin });
      return value;
    },
    /** A comma-separated list of http(s) URLs, each checked like `url`; kept as written (a trailing slash may matter). */
    urls(name: string): string[] {
      const values = text(name).split(',').map((v) => v.trim()).filter(Boolean);
      for (const value of values) checkUrl(name, value, {});
      return values;
    },
  };
}

/** Reads and validates the configuration; every problem is reported at once. */
export function loadConfig(env: Env = process.env, root: string = process.cwd()): Config {
  const problems: string[] = [];
  const { text, int, fraction, oneOf, url, urls } = settingsReader(env, problems);

  const appId = text('MicrosoftAppId');
  const appType = oneOf('MicrosoftAppType', ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const, 'MultiTenant');
  const appPassword = text('MicrosoftAppPassword');
  const tenantId = text('MicrosoftAppTenantId');
  if (appId && appType !== 'UserAssignedMSI' && !appPassword) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set (except for MicrosoftAppType=UserAssignedMSI)');
  }
  if (appId && appType !== 'MultiTenant' && !tenantId) {
    problems.push(`MicrosoftAppTenantId is required for MicrosoftAppType=${appType}`);
  }
  if (!appId && (appPassword || tenantId)) problems.push('MicrosoftAppPassword / MicrosoftAppTenantId are set but MicrosoftAppId is not');

  const statusUrl = url('APPLE_STATUS_URL', APPLE_STATUS_URL);
  const dlEndpoint = url('DIRECT_LINE_ENDPOINT', DIRECT_LINE_ENDPOINT);
  const publicUrl = url('PUBLIC_URL', '', { origin: true });
  const builtinSecret = text('DIRECT_LINE_BUILTIN_SECRET');
  if (builtinSecret && builtinSecret.length < 32) problems.push('DIRECT_LINE_BUILTIN_SECRET must be at least 32 characters');
  const directLine: Config['directLine'] = {
    secret: text('DIRECT_LINE_SECRET'),
    endpoint: dlEndpoint,
    builtinSecret,
    tokenTtlSeconds: int('DIRECT_LINE_TOKEN_TTL_SECONDS', 3600, 60, 86400),
    tokenRatePerMinute: int('DIRECT_LINE_TOKEN_RATE_PER_MINUTE', 20, 1, 10000),
    publicUrl,
  };

  const config: Config = {
    port: int('PORT', 3978, 0, 65535),
    host: text('HOST', '127.0.0.1'),
    dataDir: resolve(root, text('DATA_DIR', 'data')),
    dialogsDir: resolve(root, text('DIALOGS_DIR', 'dialogs')),
    intentsDir: resolve(root, text('INTENTS_DIR', 'intents')),
    auth: { appId, appPassword, appType, tenantId },
    appleStatus: {
      url: statusUrl,
      timeoutMs: int('APPLE_STATUS_TIMEOUT_MS', 2000, 100, 30000),
      cacheMs: int('APPLE_STATUS_CACHE_SECONDS', 300, 1, 86400) * 1000,
    },
    nluThresholds: { route: fraction('NLU_ROUTE_THRESHOLD'), ask: fraction('NLU_ASK_THRESHOLD') },
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    allowedServiceUrls: urls('ALLOWED_SERVICE_URLS'),
    teamsApp: loadTeamsAppConfig(env, problems),
    directLine,
    handoff: {
      agentAccounts: text('AGENT_ACCOUNTS'),
      supportHours: text('SUPPORT_HOURS'),
      timeoutSeconds: int('HANDOFF_TIMEOUT_SECONDS', 300, 1, 86400),
    },
    teamsAgentIds: text('TEAMS_AGENT_IDS').split(',').map((v) => v.trim()).filter(Boolean),
    desks: loadDeskConfig(env, problems),
    insights: {
      enabled: oneOf('INSIGHTS', ['on', 'off'] as const, 'on') === 'on',
      retentionDays: int('INSIGHTS_RETENTION_DAYS', 90, 1, 3650),
      abandonAfterMinutes: int('ABANDON_AFTER_MINUTES', 30, 1, 10080),
    },
    redis: { url: text('REDIS_URL'), keyPrefix: text('REDIS_KEY_PREFIX', 'wabot:') },
  };
  if (config.redis.url && !(/^rediss?:\/\/\S+$/.test(config.redis.url) && URL.canParse(config.redis.url))) {
    problems.push(`REDIS_URL must be a redis:// or rediss:// URL (got "${config.redis.url}")`);
  }
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(config.redis.keyPrefix)) problems.push('REDIS_KEY_PREFIX may use letters, digits and _ . : - (at most 64)');
  try {
    parseSupportHours(config.handoff.supportHours);
  } catch (error) {
    problems.push(`SUPPORT_HOURS: ${(error as Error).message}`);
  }
  try {
    parseAgentAccounts(config.handoff.agentAccounts);
  } catch (error) {
    problems.push(`AGENT_ACCOUNTS: ${(error as Error).message}`);
  }
  const { route, ask } = config.nluThresholds;
  if (route !== undefined && ask !== undefined && ask > route) problems.push('NLU_ASK_THRESHOLD must not exceed NLU_ROUTE_THRESHOLD');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The TEAMS_* settings, on their own so that packaging the Teams app needs no
 * bot secret. Unset values stay empty; the packager reports what it lacks.
 */
export function loadTeamsAppConfig(env: Env = process.env, problems: string[] = []): TeamsAppConfig {
  const { text, url } = settingsReader(env, problems);
  const botId = text('MicrosoftAppId');
  const appId = text('TEAMS_APP_ID', botId);
  const name = text('TEAMS_APP_NAME', 'WhatsApp Backup Help');
  if (name.length > 30) problems.push(`TEAMS_APP_NAME must be at most 30 characters (got ${name.length})`);
  return {
    botId,
    appId,
    name,
    developerName: text('TEAMS_DEVELOPER_NAME'),
    websiteUrl: url('TEAMS_WEBSITE_URL', '', { https: true }),
    privacyUrl: url('TEAMS_PRIVACY_URL', '', { https: true }),
    termsUrl: url('TEAMS_TERMS_URL', '', { https: true }),
  };
}
