/**
 * A restart as Web Chat lives it: the real app shuts down (what SIGTERM
 * does: app.close()), its streams close with 1012, and the official client
 * reconnects by itself to the new process on the same address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionStatus } from 'botframework-directlinejs';
import { STREAM_CLOSE } from '../../src/channels/directline';
import { pageToken, startApp, waitFor } from './harness';
import type { Running } from './harness';
import { doneMidFix, endClients, isNotice, say, socketCloses, textOf, welcomed } from './web-chat-client';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'dl-restart-'));
const apps: Running[] = [];
afterAll(async () => {
  endClients();
  for (const app of apps) await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('closes streams with 1012 on shutdown; directlinejs reconnects to the restarted server and the user carries on', async () => {
  const first = await startApp({ DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '1000' }, { dataDir });
  apps.push(first);
  const carriedOn = await doneMidFix(first.url);
  const issued = await pageToken(first.url);
  // random: 0 makes directlinejs wait its shortest (3 s) before reconnecting; timeout: its pause between retries.
  const user = await welcomed(issued, { webSocket: true, random: () => 0, timeout: 3_000 });
  await say(user, "whatsapp won't back up");
  const lastSeen = Math.max(...user.seen.map((a) => Number(a.id!.split('|')[1])));

  await first.close();
  const closed = socketCloses.find((c) => c.url.includes(encodeURIComponent(issued.conversationId)));
  expect(closed).toEqual(expect.objectContaining({ code: STREAM_CLOSE.restart.code, reason: STREAM_CLOSE.restart.reason }));

  const port = new URL(first.url).port;
  const second = await startApp({ DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '1000', PORT: port }, { dataDir });
  apps.push(second);

  // The new process never held this chat's log: the client is told, and numbering goes on past what it has.
  const notice = await waitFor('the reconnect and its notice', () => user.seen.find(isNotice), 40_000);
  expect(Number(notice.id!.split('|')[1])).toBeGreaterThan(lastSeen);
  expect(user.client.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);
  expect(textOf(await say(user, 'done'))).toBe(carriedOn);
  expect([...first.errors, ...second.errors]).toEqual([]);
});
