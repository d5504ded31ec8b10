/** Which desk takes the bot's hand-offs, and how the channel-specific ones behave (read once at start-up). */
export interface DeskConfig {
  /** HANDOFF_DESK: `console` (built in: /agent and Teams agents) or `chatwoot`. */
  desk: 'console' | 'chatwoot';
  /** HANDOFF_PASSTHROUGH: `directline` sends `handoff.initiate` on to Direct Line clients as it is; `off` by default. */
  passthrough: 'off' | 'directline';
  /** Set when desk is `chatwoot`. */
  chatwoot?: ChatwootConfig;
}

export interface ChatwootConfig {
  /** CHATWOOT_URL: the Chatwoot installation's base URL, e.g. http://chatwoot:3000 (no trailing slash). */
  url: string;
  /** CHATWOOT_ACCOUNT_ID */
  accountId: number;
  /** CHATWOOT_INBOX_ID: an API-channel inbox; its webhook URL points at this bot's /api/handoff/chatwoot. */
  inboxId: number;
  /** CHATWOOT_API_TOKEN: an agent's or agent bot's access token (sent as `api_access_token`). */
  apiToken: string;
  /** CHATWOOT_WEBHOOK_SECRET: the inbox's webhook secret (signs X-Chatwoot-Signature). */
  webhookSecret: string;
  /** CHATWOOT_TEAM_ID: new conversations are assigned to this team (routing); unset = none. */
  teamId?: number;
  /** CHATWOOT_LABELS: comma-separated labels put on every new conversation. */
  labels: string[];
  /** CHATWOOT_RETRY_SECONDS: how often lines Chatwoot did not take are tried again (default 30). */
  retrySeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * HANDOFF_DESK, HANDOFF_PASSTHROUGH and the CHATWOOT_* settings; every
 * problem goes into `problems` (the config loader reports them all at once).
 */
export function loadDeskConfig(env: Env, problems: string[]): DeskConfig {
  // Each setting is read by name with text('…'): the .env.example test finds the names that way.
  const text = (name: string) => (env[name] ?? '').trim();
  const desk = text('HANDOFF_DESK') || 'console';
  const passthrough = text('HANDOFF_PASSTHROUGH') || 'off';
  if (desk !== 'console' && desk !== 'chatwoot') problems.push(`HANDOFF_DESK must be one of console, chatwoot (got "${desk}")`);
  if (passthrough !== 'off' && passthrough !== 'directline') problems.push(`HANDOFF_PASSTHROUGH must be one of off, directline (got "${passthrough}")`);
  const config: DeskConfig = { desk: desk === 'chatwoot' ? 'chatwoot' : 'console', passthrough: passthrough === 'directline' ? 'directline' : 'off' };
  if (config.desk !== 'chatwoot') return config;

  const settings = {
    CHATWOOT_URL: text('CHATWOOT_URL').replace(/\/+$/, ''),
    CHATWOOT_ACCOUNT_ID: text('CHATWOOT_ACCOUNT_ID'),
    CHATWOOT_INBOX_ID: text('CHATWOOT_INBOX_ID'),
    CHATWOOT_API_TOKEN: text('CHATWOOT_API_TOKEN'),
    CHATWOOT_WEBHOOK_SECRET: text('CHATWOOT_WEBHOOK_SECRET'),
    CHATWOOT_TEAM_ID: text('CHATWOOT_TEAM_ID'),
    CHATWOOT_LABELS: text('CHATWOOT_LABELS'),
    CHATWOOT_RETRY_SECONDS: text('CHATWOOT_RETRY_SECONDS'),
  };
  const optional = new Set(['CHATWOOT_TEAM_ID', 'CHATWOOT_LABELS', 'CHATWOOT_RETRY_SECONDS']);
  for (const [name, value] of Object.entries(settings)) {
    if (!value && !optional.has(name)) problems.push(`${name} is required when HANDOFF_DESK=chatwoot`);
  }
  const id = (name: 'CHATWOOT_ACCOUNT_ID' | 'CHATWOOT_INBOX_ID' | 'CHATWOOT_TEAM_ID' | 'CHATWOOT_RETRY_SECONDS'): number | undefined => {
    const raw = settings[name];
    if (!raw) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
      problems.push(`${name} must be a whole number of 1 or more (got "${raw}")`);
      return undefined;
    }
    return value;
  };
  const url = settings.CHATWOOT_URL;
  if (url) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push(`CHATWOOT_URL must be an http(s) URL (got "${url}")`);
    } catch {
      problems.push(`CHATWOOT_URL is not a valid URL (got "${url}")`);
    }
  }
  const accountId = id('CHATWOOT_ACCOUNT_ID');
  const inboxId = id('CHATWOOT_INBOX_ID');
  const teamId = id('CHATWOOT_TEAM_ID');
  const retrySeconds = id('CHATWOOT_RETRY_SECONDS') ?? 30;
  const labels = settings.CHATWOOT_LABELS.split(',').map((l) => l.trim()).filter(Boolean);
  config.chatwoot = {
    url,
    accountId: accountId ?? 0,
    inboxId: inboxId ?? 0,
    apiToken: settings.CHATWOOT_API_TOKEN,
    webhookSecret: settings.CHATWOOT_WEBHOOK_SECRET,
    labels,
    retrySeconds,
    ...(teamId ? { teamId } : {}),
  };
  return config;
}
