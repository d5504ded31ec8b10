/**
 * The built-in Direct Line 3.0 service, driven by the official client
 * (botframework-directlinejs, the one inside Web Chat) against the real app.
 */
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { ConnectionStatus } from 'botframework-directlinejs';
import { createTokenSigner } from '../../src/channels/directline';
import { BUILTIN_SECRET, call, pageToken, startApp, upgradeStatus, waitFor } from './harness';
import type { Issued, Running } from './harness';
import { connect, endClients, fromBot, hasButtons, send, textOf } from './web-chat-client';

let running: Running;

beforeAll(async () => {
  running = await startApp({ DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '1000' });
});
afterAll(async () => {
  endClients();
  await running.close();
});

describe.each([
  ['WebSocket', true],
  ['polling', false],
])('a conversation over %s', (_name, webSocket) => {
  it('welcomes with buttons unprompted, echoes the user with the posted id, then answers', async () => {
    const s = connect(await pageToken(running.url), { webSocket });
    const welcome = await waitFor('the welcome menu', () => fromBot(s).find(hasButtons));
    expect(welcome.id).toMatch(new RegExp(`^${s.issued.conversationId}\\|\\d{7}$`));

    const id = await send(s, "whatsapp won't back up to icloud");
    const echo = await waitFor('the echo', () => s.seen.find((a) => a.id === id));
    expect(echo).toMatchObject({ type: 'message', text: "whatsapp won't back up to icloud", from: { id: s.issued.userId, role: 'user' } });
    const after = s.seen.indexOf(echo);
    await waitFor('a reply after the echo', () => s.seen.slice(after + 1).find((a) => a.from.role !== 'user'));
    expect(s.client.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);
    // The connector route's secret URL never reaches a client.
    expect(JSON.stringify(s.seen)).not.toContain('directline-connector');
  });
});

it('runs its turns in this process: no request reaches /api/messages or the connector route, and the metrics still count them', async () => {
  const server = running.app.server.server;
  const paths: string[] = [];
  const onRequest = (req: { url?: string }) => void paths.push(String(req.url));
  server.on('request', onRequest);
  try {
    const s = connect(await pageToken(running.url), { webSocket: true });
    await waitFor('the welcome menu', () => fromBot(s).find(hasButtons));
    const id = await send(s, 'is icloud down?');
    const echo = await waitFor('the echo', () => s.seen.find((a) => a.id === id));
    await waitFor('a reply after the echo', () => s.seen.slice(s.seen.indexOf(echo) + 1).find((a) => a.from.role !== 'user'));
  } finally {
    server.off('request', onRequest);
  }
  expect(paths.some((p) => p.startsWith('/v3/directline/conversations'))).toBe(true); // the client's own requests
  expect(paths.filter((p) => p.startsWith('/api/messages') || p.startsWith('/directline-connector'))).toEqual([]);
  const metrics = await (await fetch(`${running.url}/metrics`)).text();
  expect(metrics).toMatch(/^bot_turns_total\{channel="directline",type="message",outcome="ok"\} [1-9]/m);
});

it('reconnects to a conversation from a watermark, replaying only what came after', async () => {
  const issued = await pageToken(running.url);
  const first = connect(issued, { webSocket: true });
  await waitFor('the welcome', () => fromBot(first).find(hasButtons));
  const polled = await call('GET', `${issued.domain}/conversations/${issued.conversationId}/activities`, issued.token);
  const watermark = String(polled.body.watermark);
  first.client.end();

  await send(connect(issued, { webSocket: true, conversationId: issued.conversationId }), 'help');
  const info = await call('GET', `${issued.domain}/conversations/${issued.conversationId}?watermark=${watermark}`, issued.token);
  expect(info.status).toBe(200);
  expect(String(info.body.streamUrl)).toMatch(new RegExp(`^ws://.+/stream\\?watermark=${watermark}&t=`));

  const resumed = connect(issued, { webSocket: true, conversationId: issued.conversationId, watermark });
  await waitFor('the replay', () => resumed.seen.find((a) => textOf(a) === 'help'));
  const replayedIds = resumed.seen.map((a) => Number(a.id!.split('|')[1]));
  expect(Math.min(...replayedIds)).toBe(Number(watermark) + 1);

  const full = connect(issued, { webSocket: false, conversationId: issued.conversationId });
  await waitFor('the whole history', () => full.seen.find((a) => textOf(a) === 'help'));
  expect(full.seen.find(hasButtons)).toBeDefined();
});

it('refreshes a token: a new token for the same conversation and user', async () => {
  const issued = await pageToken(running.url);
  await call('POST', `${issued.domain}/conversations`, issued.token);
  const refreshed = await call('POST', `${issued.domain}/tokens/refresh`, issued.token);
  expect(refreshed.status).toBe(200);
  expect(refreshed.body).toMatchObject({ conversationId: issued.conversationId, expires_in: 3600 });
  expect(refreshed.body.token).not.toBe(issued.token);
  const s = connect({ ...issued, token: String(refreshed.body.token) }, { webSocket: false, conversationId: issued.conversationId });
  await waitFor('the history with the refreshed token', () => fromBot(s).find(hasButtons));
});

describe('access', () => {
  let a: Issued;
  let b: Issued;
  beforeAll(async () => {
    [a, b] = await Promise.all([pageToken(running.url), pageToken(running.url)]);
    await Promise.all([call('POST', `${a.domain}/conversations`, a.token), call('POST', `${b.domain}/conversations`, b.token)]);
  });

  it("gives 403 for another conversation's token, on every route and the WebSocket", async () => {
    const other = `${a.domain}/conversations/${b.conversationId}`;
    expect((await call('GET', `${other}/activities`, a.token)).status).toBe(403);
    expect((await call('POST', `${other}/activities`, a.token, { type: 'message', text: 'hi' })).status).toBe(403);
    expect((await call('GET', other, a.token)).status).toBe(403);
    expect(await upgradeStatus(`${other.replace('http', 'ws')}/stream?t=${a.token}`)).toBe(403);
  });

  it('gives 401 for expired, forged, secret-less and missing tokens', async () => {
    const path = `${a.domain}/conversations/${a.conversationId}/activities`;
    const expired = createTokenSigner({ secret: BUILTIN_SECRET, ttlSeconds: 60, now: () => Date.now() - 3_600_000 }).issue(a).token;
    const forged = createTokenSigner({ secret: 'another-secret-entirely-0123456789abcdef', ttlSeconds: 60 }).issue(a).token;
    const [prefix, payload] = a.token.split('.');
    const tampered = `${prefix}.${Buffer.from(JSON.stringify({ c: b.conversationId, u: 'x', exp: 9e9 })).toString('base64url')}.${a.token.split('.')[2]}`;
    for (const token of [expired, forged, tampered, `${prefix}.${payload}`, 'nonsense', undefined]) {
      const answer = await call('GET', path, token);
      expect({ token, status: answer.status, code: (answer.body.error as { code?: string })?.code }).toEqual({ token, status: 401, code: 'DL_UNAUTHORIZED' });
    }
    expect(await upgradeStatus(`${path.replace('http', 'ws').replace('/activities', '/stream')}?t=${expired}`)).toBe(401);
    expect((await call('POST', `${a.domain}/tokens/refresh`, expired)).status).toBe(401);
  });

  it('lets only the secret generate tokens, bound to the given user', async () => {
    expect((await call('POST', `${a.domain}/tokens/generate`, a.token)).status).toBe(403);
    const made = await call('POST', `${a.domain}/tokens/generate`, BUILTIN_SECRET, { user: { id: 'dl_visitor' } });
    expect(made.status).toBe(200);
    const token = String(made.body.token);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { u: string };
    expect(payload.u).toBe('dl_visitor');
    // The signing key is derived from the secret, never the secret itself.
    expect(token.split('.')[2]).not.toBe(createHmac('sha256', BUILTIN_SECRET).update(`dl1.${token.split('.')[1]}`).digest('base64url'));
  });

  it('refuses oversized activities with 413 and uploads with a clear 415', async () => {
    const path = `${a.domain}/conversations/${a.conversationId}`;
    const big = await call('POST', `${path}/activities`, a.token, { type: 'message', text: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'DL_TOO_LARGE' });
    expect((await call('POST', `${path}/activities`, a.token, { type: 'message', text: 'x'.repeat(300 * 1024) })).status).toBe(413);
    const upload = await call('POST', `${path}/upload?userId=${a.userId}`, a.token, { any: 'thing' });
    expect(upload.status).toBe(415);
    expect(upload.body.error).toMatchObject({ code: 'DL_UPLOAD_UNSUPPORTED' });
    expect((await call('POST', `${path}/activities`, a.token, { type: 'conversationUpdate' })).status).toBe(400);
  });

  it('hides the connector route behind its secret path', async () => {
    const answer = await call('POST', `${running.url}/directline-connector/guess/v3/conversations/${a.conversationId}/activities`, undefined, {
      type: 'message',
      text: 'spoofed',
    });
    expect(answer.status).toBe(404);
  });
});
