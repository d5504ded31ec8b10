import { SqliteStorage } from '../../src/storage';
import { join } from 'node:path';
import { startTeamsBot, TeamsConversation } from './teams-harness';

const APP_ID = '3f2c1b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const SETUPS: Array<[string, Record<string, string>]> = [
  ['MultiTenant', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' }],
  [
    'SingleTenant',
    { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT },
  ],
  ['UserAssignedMSI (managed identity)', { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT }],
];

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'made-up' })}.${part({ ...claims, nbf: now - 60, exp: now + 3600 })}.${Buffer.from('sig').toString('base64url')}`;
}

beforeEach(() => {
  // CloudAdapter logs every refused request with console.error; expected here.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe.each(SETUPS)('with Bot Framework auth configured (%s)', (_name, env) => {
  test('a request without a valid bearer token is refused (401) and never reaches the bot', async () => {
    const bot = await startTeamsBot(env);
    try {
      const chat = new TeamsConversation(bot.channel, 'personal');
      const unsigned = await chat.say("my whatsapp won't back up to icloud");
      const body = JSON.stringify({ ...chat.activity({ type: 'message', text: 'help' }), channelId: 'msteams', serviceUrl: bot.channel.serviceUrl });
      const withToken = (token: string) =>
        fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const garbage = await withToken('not.a.jwt');
      // Well-formed, claims to be from the Bot Framework, signed by nobody it trusts.
      const forged = await withToken(fakeJwt({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: bot.channel.serviceUrl }));

      // Checking a well-formed token's signature needs Microsoft's signing keys: whether the key is unknown or
      // the keys cannot be fetched (as in this sandbox), the token is not verified, so it is a 401.
      expect([unsigned.status, garbage.status, forged.status]).toEqual([401, 401, 401]);
      for (const res of [garbage, forged]) expect(await res.json()).toEqual({ error: { code: 'BF_UNAUTHORIZED', message: expect.any(String) } });
      expect(bot.channel.received(chat.id)).toEqual([]);
      expect(bot.errors).toEqual([]); // no turn ran (a turn would fail to get a token to reply)
      // No turn ran: nothing was stored for the conversation.
      const storage = new SqliteStorage({ file: join(bot.dataDir, 'state.sqlite') });
      expect(await storage.read([`msteams/conversations/${chat.id}`])).toEqual({});
      storage.close();
    } finally {
      await bot.close();
    }
  });
});

test('without MicrosoftAppId (local use) the same request is answered', async () => {
  const bot = await startTeamsBot();
  try {
    const turn = await new TeamsConversation(bot.channel, 'personal').say('help');
    expect(turn.status).toBe(200);
    expect(turn.messages.length).toBeGreaterThan(0);
  } finally {
    await bot.close();
  }
});
