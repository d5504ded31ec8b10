/**
 * The turn queue and shutdown, seen by clients: a stub bot holds each turn
 * until the test lets it go, so which turns are in flight is exact.
 */
import WebSocket from 'ws';
import { STREAM_CLOSE } from '../../src/channels/directline';
import { startFrontEnd } from './front-end';
import type { FrontEnd } from './front-end';
import { call, pageToken, upgradeStatus, waitFor } from './harness';
import type { Issued } from './harness';
import { startStubBot } from './stub-bot';
import type { StubBot } from './stub-bot';

/** One turn at the bot, two waiting: new conversations may take one of those places, messages both. */
const TINY = { maxConversations: 4, turnConcurrency: 1, turnQueue: 2 };

let bot: StubBot;
let front: FrontEnd;
beforeEach(async () => {
  bot = await startStubBot();
});
afterEach(async () => {
  bot.releaseAll();
  await front?.close();
  await bot.close();
});

/** POST /conversations with a fresh token from the page's route. */
async function start(): Promise<Issued & { status: number; retryAfter: string | null; body: Record<string, unknown>; streamUrl: string }> {
  const issued = await pageToken(front.url);
  const response = await fetch(`${issued.domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${issued.token}` } });
  const body = (await response.json()) as Record<string, unknown>;
  return { ...issued, status: response.status, retryAfter: response.headers.get('retry-after'), body, streamUrl: String(body.streamUrl) };
}

function post(issued: Issued, text: string): Promise<Response> {
  return fetch(`${issued.domain}/conversations/${issued.conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${issued.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text }),
  });
}

const texts = async (issued: Issued) =>
  ((await call('GET', `${issued.domain}/conversations/${issued.conversationId}/activities`, issued.token)).body.activities as Array<{ text?: string }>).map(
    (a) => a.text,
  );

describe('a full queue', () => {
  beforeEach(async () => {
    front = await startFrontEnd(bot.endpoint, TINY);
  });

  it('answers 429 DL_BUSY with Retry-After, creates and echoes nothing it refused, and runs everything it accepted', async () => {
    const a = await start(); // its welcome is at the bot, held
    expect(a.status).toBe(201);
    await waitFor('the first welcome at the bot', () => bot.held() === 1);
    const b = await start(); // its welcome waits
    expect(b.status).toBe(201);

    // The last waiting place is kept for people already talking.
    const c = await start();
    expect({ status: c.status, code: (c.body.error as { code?: string })?.code }).toEqual({ status: 429, code: 'DL_BUSY' });
    expect(c.retryAfter).toMatch(/^\d+$/);
    const accepted = post(a, 'first question');
    await waitFor('the message to be queued (its echo logged)', async () => (await texts(a)).includes('first question'));
    const refused = await post(a, 'one too many');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(await texts(a)).toEqual(['first question']);

    // Nothing accepted is dropped: the bot gets both welcomes and the message, in order.
    for (let expected = 1; expected <= 3; expected += 1) {
      await waitFor(`turn ${expected} at the bot`, () => bot.turns.length === expected && bot.held() === 1);
      bot.releaseAll();
    }
    expect((await accepted).status).toBe(200);
    expect(bot.turns.map((t) => [t.type, t.conversation?.id, t.text])).toEqual([
      ['conversationUpdate', a.conversationId, undefined],
      ['conversationUpdate', b.conversationId, undefined],
      ['message', a.conversationId, 'first question'],
    ]);
    await waitFor('the reply', async () => (await texts(a)).includes('echo: first question'));

    // The refused start left nothing behind. The widget, reloaded, "resumes" it with the same token
    // (GET /conversations/{id}?watermark=): that starts it now, welcome and all, with no talk of expired messages.
    const resumed = await call('GET', `${c.domain}/conversations/${c.conversationId}?watermark=`, c.token);
    expect(resumed.status).toBe(200);
    await waitFor('its welcome', () => bot.turns.some((t) => t.type === 'conversationUpdate' && t.conversation?.id === c.conversationId));
    expect(await texts(c)).toEqual([]);
  });
});

describe('close()', () => {
  it('refuses new turns and streams with 503, lets the turn in flight finish and reach the stream, then closes streams with 1012', async () => {
    front = await startFrontEnd(bot.endpoint, TINY);
    const a = await start();
    await waitFor('the welcome at the bot', () => bot.held() === 1);
    bot.releaseAll();
    const ws = new WebSocket(a.streamUrl);
    const frames: string[] = [];
    const closed = new Promise<{ code: number; reason: string; framesBefore: number }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), framesBefore: frames.length })),
    );
    ws.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve) => ws.once('open', resolve));

    const inFlight = post(a, 'are you there?');
    await waitFor('the message at the bot', () => bot.held() === 1);
    const closing = front.directLine.close();

    const refused = await post(a, 'too late');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('DL_SHUTTING_DOWN');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await start()).status).toBe(503);
    expect(await upgradeStatus(a.streamUrl)).toBe(503);
    expect(ws.readyState).toBe(WebSocket.OPEN);

    bot.releaseAll();
    expect((await inFlight).status).toBe(200);
    await closing;
    const close = await closed;
    expect(close).toMatchObject({ code: STREAM_CLOSE.restart.code, reason: STREAM_CLOSE.restart.reason });
    expect(frames.slice(0, close.framesBefore).join('\n')).toContain('echo: are you there?');
  });

  it('waits for turns only as long as its bound, then closes anyway and says what was left', async () => {
    front = await startFrontEnd(bot.endpoint, { ...TINY, drainMs: 200 });
    const a = await start();
    await waitFor('the welcome at the bot', () => bot.held() === 1);
    await front.directLine.close(); // the welcome is never released
    expect(front.logged).toContainEqual(expect.objectContaining({ level: 'warn', message: 'direct line: turns unfinished at shutdown', fields: { abandoned: 1, refused: 0 } }));
    expect(a.status).toBe(201);
  });
});
