import { resolve } from 'node:path';

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
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const APPLE_STATUS_URL = 'https://www.apple.com/support/systemstatus/data/system_status_en_US.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; every problem is reported at once. */
export function loadConfig(env: Env = process.env, root: string = process.cwd()): Config {
  const problems: string[] = [];
  const text = (name: string, fallback = ''): string => (env[name] ?? '').trim() || fallback;
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const fraction = (name: string): number | undefined => {
    const raw = text(name);
    if (!raw) return undefined;
    const value = Number(raw);
    if (!(value > 0 && value < 1)) problems.push(`${name} must be a number between 0 and 1 (got "${raw}")`);
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (!raw) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  };

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

  const statusUrl = text('APPLE_STATUS_URL', APPLE_STATUS_URL);
  if (!/^https?:\/\/\S+$/.test(statusUrl)) problems.push(`APPLE_STATUS_URL must be an http(s) URL (got "${statusUrl}")`);

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
  };
  const { route, ask } = config.nluThresholds;
  if (route !== undefined && ask !== undefined && ask > route) problems.push('NLU_ASK_THRESHOLD must not exceed NLU_ROUTE_THRESHOLD');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
