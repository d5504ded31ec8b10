import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const ROOT = join(__dirname, '..');

test('with no settings at all the bot runs locally: port 3978, loopback, auth off, SQLite under ./data', () => {
  const config = loadConfig({}, '/srv/bot');
  expect(config).toMatchObject({ port: 3978, host: '127.0.0.1', dataDir: '/srv/bot/data', dialogsDir: '/srv/bot/dialogs' });
  expect(config.auth.appId).toBe('');
  expect(config.appleStatus).toEqual({
    url: 'https://www.apple.com/support/systemstatus/data/system_status_en_US.js',
    timeoutMs: 2000,
    cacheMs: 300_000,
  });
});

test('every problem is reported at once, naming the setting', () => {
  expect(() => loadConfig({ PORT: 'eighty', MicrosoftAppType: 'Single', APPLE_STATUS_URL: 'ftp://x', NLU_ASK_THRESHOLD: '2' })).toThrow(ConfigError);
  try {
    loadConfig({ PORT: 'eighty', MicrosoftAppType: 'Single', APPLE_STATUS_URL: 'ftp://x', NLU_ASK_THRESHOLD: '2' });
  } catch (error) {
    const message = (error as Error).message;
    for (const name of ['PORT', 'MicrosoftAppType', 'APPLE_STATUS_URL', 'NLU_ASK_THRESHOLD']) expect(message).toContain(name);
  }
});

test.each([
  [{ MicrosoftAppId: 'abc' }, 'MicrosoftAppPassword is required'],
  [{ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId is required'],
  [{ MicrosoftAppPassword: 'p' }, 'MicrosoftAppId is not'],
  [{ NLU_ROUTE_THRESHOLD: '0.3', NLU_ASK_THRESHOLD: '0.5' }, 'must not exceed'],
  [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a redis://'],
  [{ REDIS_URL: 'redis://x', REDIS_KEY_PREFIX: 'a b' }, 'REDIS_KEY_PREFIX'],
])('inconsistent settings %j are refused', (env, message) => {
  expect(() => loadConfig(env)).toThrow(message);
});

test('REDIS_URL switches the shared things to Redis; unset, the embedded SQLite stays', () => {
  expect(loadConfig({}).redis).toEqual({ url: '', keyPrefix: 'wabot:' });
  expect(loadConfig({ REDIS_URL: 'rediss://:pw@cache.example.com:6380/2', REDIS_KEY_PREFIX: 'bot1:' }).redis).toEqual({
    url: 'rediss://:pw@cache.example.com:6380/2',
    keyPrefix: 'bot1:',
  });
});

test('managed identity needs no password', () => {
  const config = loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' });
  expect(config.auth).toMatchObject({ appId: 'abc', appType: 'UserAssignedMSI' });
});

test('.env.example names every setting the code reads, and nothing else', () => {
  const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
  const documented = [...example.matchAll(/^([A-Za-z_]+)=/gm)].map((m) => m[1]).sort();
  const source = ['src/config.ts', 'src/handoff/desks/config.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
  const read = [...new Set([...source.matchAll(/\b(?:text|int|fraction|oneOf|urls?)\('([A-Za-z_]+)'/g)].map((m) => m[1]))].sort();
  expect(documented).toEqual(read);
});
