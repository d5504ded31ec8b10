import type { Activity } from 'botbuilder';
import { ReusingBotFrameworkAuthentication } from '../../src/server/reused-connectors';

const activity = (serviceUrl: string) => ({ type: 'message', channelId: 'emulator', serviceUrl, conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'bot' } }) as unknown as Activity;

describe('ReusingBotFrameworkAuthentication', () => {
  const auth = new ReusingBotFrameworkAuthentication({});

  test('turns from the same serviceUrl share one connector client; another serviceUrl gets its own', async () => {
    const first = await auth.authenticateRequest(activity('http://127.0.0.1:1'), '');
    const second = await auth.authenticateRequest(activity('http://127.0.0.1:1'), '');
    const a = await first.connectorFactory!.create('http://127.0.0.1:1', first.audience);
    const b = await second.connectorFactory!.create('http://127.0.0.1:1', second.audience);
    const other = await second.connectorFactory!.create('http://127.0.0.1:2', second.audience);
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    // Proactive turns (createConnectorFactory) share them too.
    expect(await auth.createConnectorFactory(first.claimsIdentity).create('http://127.0.0.1:1', first.audience)).toBe(a);
  });

  test('one user-token client per app id', async () => {
    const { claimsIdentity } = await auth.authenticateRequest(activity('http://127.0.0.1:1'), '');
    expect(await auth.createUserTokenClient(claimsIdentity)).toBe(await auth.createUserTokenClient(claimsIdentity));
  });

  test('at most 64 clients are kept: the least recently used is made again', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const { claimsIdentity } = await auth.authenticateRequest(activity('http://127.0.0.1:1'), '');
    const factory = auth.createConnectorFactory(claimsIdentity);
    const oldest = await factory.create('http://127.0.0.1:1000', undefined);
    const kept = await factory.create('http://127.0.0.1:1001', undefined);
    for (let i = 0; i < 62; i++) await factory.create(`http://127.0.0.1:${2000 + i}`, undefined);
    await factory.create('http://127.0.0.1:1001', undefined); // used again: kept
    await factory.create('http://127.0.0.1:3000', undefined); // the 65th: the oldest goes
    expect(await factory.create('http://127.0.0.1:1001', undefined)).toBe(kept);
    expect(await factory.create('http://127.0.0.1:1000', undefined)).not.toBe(oldest);
  });
});
