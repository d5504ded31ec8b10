import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityTypes, CardFactory, MessageFactory } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import { Agent } from 'undici';
import { ChannelRequestError, channelDispatcher, withLeanSends } from '../../src/server/lean-connector';
import type { ConnectorClient as Client } from '../../src/server/in-process-connector';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A channel's connector on loopback: records each request and answers from a script (then 200 with an id). */
async function startChannel() {
  const received: Received[] = [];
  let script: Array<{ status: number; headers?: Record<string, string>; body?: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const next = script.shift() ?? { status: 200, body: JSON.stringify({ id: `sent-${received.length}` }) };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`,
    received,
    answer: (...next: typeof script) => {
      script = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Credentials as botframework-connector's sign a request: by setting its Authorization header.
const credentials = {
  signRequest: async (resource: { headers: { set(name: string, value: string): void } }) => {
    resource.headers.set('Authorization', 'Bearer a-token');
    return resource;
  },
};

const to = { conversation: { id: '19:abc@thread.v2;messageid=1712' }, from: { id: 'bot' }, recipient: { id: '29:user' } };
const message = (text: string, extra: Partial<Activity> = {}) => ({ ...MessageFactory.text(text), ...to, ...extra }) as Activity;
/** What the bot sends: text with Markdown, buttons, a hero card, typing, Teams channel data, a mention, a date. */
const ACTIVITIES: Activity[] = [
  message('**Step 1** — open *Settings*', { replyToId: 'f:1712|0001', inputHint: 'expectingInput', textFormat: 'markdown' }),
  { ...MessageFactory.suggestedActions(['Done', 'Skip this step'], 'Did that work?'), ...to } as Activity,
  { ...MessageFactory.attachment(CardFactory.heroCard('', 'Which one?', undefined, CardFactory.actions([{ type: 'messageBack', title: 'Done', value: { choice: 'done' }, text: 'Done', displayText: 'Done' }]))), ...to } as Activity,
  { type: ActivityTypes.Typing, ...to } as Activity,
  message('An agent joined', { channelData: { notification: { alert: true } }, entities: [{ type: 'mention', text: '<at>Sam</at>', mentioned: { id: '29:agent', name: 'Sam' } }] }),
  message('At noon', { timestamp: new Date('2026-11-26T12:00:00Z'), locale: 'en-US', replyToId: 'reply/with spaces' }),
];

describe('replies sent without the Azure pipeline (withLeanSends)', () => {
  let channel: Awaited<ReturnType<typeof startChannel>>;
  let dispatcher: Agent;
  let azure: Client;
  let lean: Client;

  beforeAll(async () => {
    channel = await startChannel();
    dispatcher = new Agent();
    azure = new ConnectorClient(credentials as never, { baseUri: channel.url }) as unknown as Client;
    lean = withLeanSends(azure, channel.url, { dispatcher, retryDelayMs: 1 });
  });
  afterAll(async () => {
    await dispatcher.destroy();
    await channel.close();
  });
  beforeEach(() => {
    channel.received.length = 0;
    channel.answer();
  });

  /** Each activity sent by both clients, as the channel received it. */
  async function sentByBoth(send: (client: Client, activity: Activity) => Promise<unknown>) {
    const pairs: Array<[Received, Received]> = [];
    for (const activity of ACTIVITIES) {
      await send(azure, activity);
      await send(lean, activity);
      const [a, b] = channel.received.splice(0);
      pairs.push([a!, b!]);
    }
    return pairs;
  }

  test.each([
    ['reply to an activity', (c: Client, a: Activity) => c.conversations.replyToActivity(a.conversation.id, a.replyToId ?? 'some-id', a)],
    ['send to a conversation', (c: Client, a: Activity) => c.conversations.sendToConversation(a.conversation.id, a)],
  ])('%s: the same request as the connector client, activity for activity', async (_name, send) => {
    for (const [azureSent, leanSent] of await sentByBoth(send)) {
      expect(leanSent.method).toBe(azureSent.method);
      expect(leanSent.url).toBe(azureSent.url);
      expect(leanSent.url.startsWith('/amer/v3/conversations/19%3Aabc%40thread.v2%3Bmessageid%3D1712/activities')).toBe(true);
      expect(JSON.parse(leanSent.body)).toEqual(JSON.parse(azureSent.body));
      expect(leanSent.headers.authorization).toBe('Bearer a-token');
      expect(leanSent.headers['content-type']).toBe(azureSent.headers['content-type']);
      expect(leanSent.headers.accept).toBe('*/*');
      expect(leanSent.headers['user-agent']).toMatch(/^Microsoft-BotFramework\/3\.1 /);
    }
  });

  test("the channel's answer comes back as the connector client gives it: the activity's id", async () => {
    const activity = ACTIVITIES[0]!;
    channel.answer({ status: 200, body: '{"id":"a1"}' }, { status: 200, body: '{"id":"a1"}' });
    const fromAzure = await azure.conversations.sendToConversation(activity.conversation.id, activity);
    const fromLean = await lean.conversations.sendToConversation(activity.conversation.id, activity);
    expect(fromLean).toEqual({ id: 'a1' });
    expect(fromAzure.id).toBe('a1');
    channel.answer({ status: 201, body: '' });
    expect(await lean.conversations.sendToConversation(activity.conversation.id, activity)).toEqual({});
  });

  const outage = { status: 503, body: '{"error":{"code":"ServiceUnavailable","message":"connector outage"}}' };
  test.each([
    ['a 503 is retried', [outage, outage], 3],
    ['a 429 with Retry-After waits that long and is retried', [{ status: 429, headers: { 'retry-after': '0' } }], 2],
    ['a 500 is retried', [{ status: 500 }], 2],
    ['a 429 without Retry-After is not', [{ status: 429 }, { status: 200 }], 1],
    ['a 400 is not', [{ status: 400, body: '{"error":{"code":"BadArgument","message":"bad"}}' }], 1],
    ['a 501 is not', [{ status: 501 }], 1],
  ])('%s, as the connector client retries', async (_name, script, requests) => {
    const activity = ACTIVITIES[0]!;
    const outcomes: unknown[] = [];
    for (const client of [azure, lean]) {
      channel.received.length = 0;
      channel.answer(...script);
      outcomes.push(await client.conversations.sendToConversation(activity.conversation.id, activity).then(() => 'sent', (e: { statusCode?: number }) => e.statusCode));
      expect(channel.received).toHaveLength(requests);
    }
    expect(outcomes[1]).toBe(outcomes[0]);
  });

  test('a refusal is an error with the status and the Bot Framework error code', async () => {
    channel.answer({ status: 400, body: '{"error":{"code":"BadArgument","message":"the activity is too big"}}' });
    const error = await lean.conversations.sendToConversation('c', ACTIVITIES[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'BadArgument', message: expect.stringContaining('the activity is too big') });
  });

  test('an outage that outlasts the retries fails after four attempts', async () => {
    channel.answer(outage, outage, outage, outage, outage);
    await expect(lean.conversations.sendToConversation('c', ACTIVITIES[0]!)).rejects.toMatchObject({ statusCode: 503, code: 'ServiceUnavailable' });
    expect(channel.received).toHaveLength(4);
  });

  test('a channel that cannot be reached is tried again, then the connection error surfaces', async () => {
    const closed = await startChannel();
    await closed.close();
    const unreachable = withLeanSends(azure, closed.url, { dispatcher, retryDelayMs: 1 });
    await expect(unreachable.conversations.sendToConversation('c', ACTIVITIES[0]!)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('an answer body past 1 MB is refused, not read into memory, and not retried', async () => {
    const dispatcher = channelDispatcher({});
    try {
      const guarded = withLeanSends(azure, channel.url, { dispatcher, retryDelayMs: 1 });
      channel.answer({ status: 200, body: JSON.stringify({ id: 'x'.repeat(2 * 1024 * 1024) }) });
      await expect(guarded.conversations.sendToConversation('c', ACTIVITIES[0]!)).rejects.toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
      expect(channel.received).toHaveLength(1);
      expect(await guarded.conversations.sendToConversation('c', ACTIVITIES[0]!)).toEqual({ id: 'sent-2' });
    } finally {
      await dispatcher.destroy();
    }
  });

  test('every other call is the connector client’s own', async () => {
    channel.answer({ status: 200, body: '[{"id":"29:user","name":"Pat"}]' });
    const members = await lean.conversations.getConversationMembers('19:abc@thread.v2');
    expect(members.map((m) => m.name)).toEqual(['Pat']);
    expect(channel.received[0]).toMatchObject({ method: 'GET', url: '/amer/v3/conversations/19%3Aabc%40thread.v2/members' });
    expect(lean.conversations).not.toBe(azure.conversations);
  });

  test('with HTTP_PROXY set, replies go through that proxy, as the Azure pipeline sent them', async () => {
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url!);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = channelDispatcher({ HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    try {
      const viaProxy = withLeanSends(azure, channel.url, { dispatcher: proxied });
      expect(await viaProxy.conversations.sendToConversation('c', ACTIVITIES[0]!)).toEqual({ id: 'sent-1' });
      expect(tunnels).toEqual([new URL(channel.url).host]);
      expect(channel.received).toHaveLength(1);
    } finally {
      await proxied.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
