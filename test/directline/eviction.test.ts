/**
 * Memory caps a user can notice: a tiny built-in Direct Line in front of the
 * real bot, driven by the official client, evicts a conversation someone is
 * in the middle of.
 */
import WebSocket from 'ws';
import type { Activity } from 'botframework-directlinejs';
import { STREAM_CLOSE } from '../../src/channels/directline';
import { startFrontEnd } from './front-end';
import type { FrontEnd } from './front-end';
import { call, pageToken, startApp, waitFor } from './harness';
import type { Running } from './harness';
import { doneMidFix, endClients, isNotice, say, socketCloses, textOf, welcomed } from './web-chat-client';

const KiB = 1024;
const TINY = {
  maxConversations: 4,
  turnConcurrency: 1,
  turnQueue: 2,
  maxActivityBytes: 8 * KiB,
  maxConversationBytes: 16 * KiB,
  maxTotalBytes: 64 * KiB,
};

jest.setTimeout(60_000);

let bot: Running;
let front: FrontEnd;
const sockets: WebSocket[] = [];
beforeAll(async () => {
  bot = await startApp({ DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '1000' });
  front = await startFrontEnd(`${bot.url}/api/messages`, TINY);
});
afterAll(async () => {
  endClients();
  for (const ws of sockets) ws.terminate();
  await front.close();
  await bot.close();
});

/** A visitor who starts a conversation and keeps its stream open (retrying a 429 as told). */
async function watchedVisitor(): Promise<void> {
  const issued = await pageToken(front.url);
  const started = await waitFor('a conversation start that is not refused', async () => {
    const answer = await call('POST', `${issued.domain}/conversations`, issued.token);
    return answer.status === 429 ? undefined : answer;
  });
  expect(started.status).toBe(201);
  const ws = new WebSocket(String(started.body.streamUrl));
  sockets.push(ws);
  await new Promise((resolve) => ws.once('open', resolve));
}

it('closes the stream of an evicted conversation with 4001; back, the user sees a notice and carries on where they were', async () => {
  const carriedOn = await doneMidFix(bot.url);

  const issued = await pageToken(front.url);
  const user = await welcomed(issued, { webSocket: true, random: () => 0, timeout: 5_000 });
  await say(user, "whatsapp won't back up");
  const lastSeen = Math.max(...user.seen.map((a) => Number(a.id!.split('|')[1])));

  // Four newer conversations, each watched: the user's is now the least recently used of all.
  for (let i = 0; i < 4; i += 1) await watchedVisitor();
  const closed = await waitFor('the stream to close', () => socketCloses.find((c) => c.url.includes(encodeURIComponent(issued.conversationId))));
  expect(closed).toEqual(expect.objectContaining({ code: STREAM_CLOSE.expired.code, reason: STREAM_CLOSE.expired.reason }));

  // directlinejs reconnects by itself (GET /conversations/{id}?watermark=…) and Web Chat shows the notice.
  const notice = await waitFor('the expiry notice', () => user.seen.find(isNotice), 30_000);
  expect(textOf(notice)).toMatch(/expired/);
  expect(Number(notice.id!.split('|')[1])).toBeGreaterThan(lastSeen); // numbered after what the client has: Web Chat won't drop it as a duplicate
  expect(user.seen.filter(isNotice)).toHaveLength(1);

  // The bot's own state (SQLite) was never touched: the fix goes on.
  expect(textOf(await say(user, 'done'))).toBe(carriedOn);
  expect(bot.errors).toEqual([]);
  expect(front.logged.filter((l) => l.level === 'error')).toEqual([]);
});

it('keeps each conversation within its byte budget, however much is said', async () => {
  const issued = await pageToken(front.url);
  expect((await call('POST', `${issued.domain}/conversations`, issued.token)).status).toBe(201);
  const path = `${issued.domain}/conversations/${issued.conversationId}/activities`;
  for (let i = 0; i < 12; i += 1) {
    const posted = await waitFor(`message ${i} taken`, async () => {
      const answer = await call('POST', path, issued.token, { type: 'message', text: `${i} ${'blah '.repeat(1200)}` });
      return answer.status === 429 ? undefined : answer;
    });
    expect(posted.status).toBe(200);
  }
  const { body } = await call('GET', path, issued.token);
  const activities = body.activities as Activity[];
  const bytes = activities.reduce((sum, a) => sum + Buffer.byteLength(JSON.stringify(a)), 0);
  expect(bytes).toBeLessThanOrEqual(TINY.maxConversationBytes);
  expect(activities.length).toBeGreaterThan(0);
  // The oldest went first; the newest is there, and the watermark kept counting.
  expect(activities.some((a) => textOf(a)?.startsWith('11 '))).toBe(true);
  expect(activities.some((a) => textOf(a)?.startsWith('0 '))).toBe(false);
  expect(Number(body.watermark)).toBeGreaterThanOrEqual(24);
});
