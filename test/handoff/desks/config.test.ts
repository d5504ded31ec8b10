import { loadDeskConfig } from '../../../src/handoff/desks/config';

const CHATWOOT = {
  HANDOFF_DESK: 'chatwoot',
  CHATWOOT_URL: 'http://chatwoot:3000/',
  CHATWOOT_ACCOUNT_ID: '1',
  CHATWOOT_INBOX_ID: '7',
  CHATWOOT_API_TOKEN: 'token',
  CHATWOOT_WEBHOOK_SECRET: 'secret',
};

function load(env: Record<string, string>) {
  const problems: string[] = [];
  return { config: loadDeskConfig(env, problems), problems };
}

test('defaults to the built-in console and no pass-through', () => {
  expect(load({})).toEqual({ config: { desk: 'console', passthrough: 'off' }, problems: [] });
});

test('reads every Chatwoot setting', () => {
  const { config, problems } = load({ ...CHATWOOT, CHATWOOT_TEAM_ID: '3', CHATWOOT_LABELS: 'bot-handoff, icloud ,', CHATWOOT_RETRY_SECONDS: '5', HANDOFF_PASSTHROUGH: 'directline' });
  expect(problems).toEqual([]);
  expect(config).toEqual({
    desk: 'chatwoot',
    passthrough: 'directline',
    chatwoot: { url: 'http://chatwoot:3000', accountId: 1, inboxId: 7, apiToken: 'token', webhookSecret: 'secret', teamId: 3, labels: ['bot-handoff', 'icloud'], retrySeconds: 5 },
  });
});

test('names every missing or wrong setting at once', () => {
  const { problems } = load({ HANDOFF_DESK: 'chatwoot', CHATWOOT_URL: 'ftp://x', CHATWOOT_ACCOUNT_ID: 'one', CHATWOOT_INBOX_ID: '0', CHATWOOT_TEAM_ID: '-2' });
  expect(problems).toEqual([
    'CHATWOOT_API_TOKEN is required when HANDOFF_DESK=chatwoot',
    'CHATWOOT_WEBHOOK_SECRET is required when HANDOFF_DESK=chatwoot',
    'CHATWOOT_URL must be an http(s) URL (got "ftp://x")',
    'CHATWOOT_ACCOUNT_ID must be a whole number of 1 or more (got "one")',
    'CHATWOOT_INBOX_ID must be a whole number of 1 or more (got "0")',
    'CHATWOOT_TEAM_ID must be a whole number of 1 or more (got "-2")',
  ]);
});

test('refuses unknown desks and pass-through modes', () => {
  expect(load({ HANDOFF_DESK: 'zendesk', HANDOFF_PASSTHROUGH: 'teams' }).problems).toEqual([
    'HANDOFF_DESK must be one of console, chatwoot (got "zendesk")',
    'HANDOFF_PASSTHROUGH must be one of off, directline (got "teams")',
  ]);
});
