/**
 * Whole journeys under load, for `npm run bench -- --journeys N` and
 * `npm run bench -- --directline`: simulated users (bench/journey-walker.ts)
 * each walk a fix to success or escalation with typed answers, C of them at
 * a time, over one of two transports:
 * - the connector's: POST /api/messages, replies taken by a fake connector
 *   in this process (the turn's replies have all arrived when the POST answers);
 * - the built-in Direct Line, as Web Chat uses it: a token from
 *   /api/directline/token, POST /conversations, the WebSocket stream (the
 *   welcome waited for first), each message POSTed to /activities and its
 *   replies (replyToId) read from the WebSocket.
 * A turn's latency runs from sending the message to holding its replies.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import WebSocket from 'ws';
import type { ReplyActivity, Send } from './journey-walker';
import { walkJourney } from './journey-walker';
import { quantile } from './support';

export interface JourneyFigures {
  journeys: number;
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Journeys that failed: an HTTP error, a reply the walker did not expect, or the wrong ending. */
  errors: number;
  firstError?: string;
}

/** A user's session on some transport: `send` says one thing; `close` ends it. */
export interface Session {
  send: Send;
  close(): Promise<void>;
}

export type Transport = (user: number) => Promise<Session>;

/** Runs `users` journeys, `concurrency` at a time. */
export async function runJourneys(users: number, concurrency: number, transport: Transport): Promise<JourneyFigures> {
  const latencies: number[] = [];
  let turns = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let user = next++; user < users; user = next++) {
      let session: Session | undefined;
      try {
        session = await transport(user);
        const timed = session.send;
        const walked = await walkJourney(user, async (text) => {
          const t0 = performance.now();
          const replies = await timed(text);
          latencies.push(performance.now() - t0);
          return replies;
        });
        turns += walked;
      } catch (error) {
        errors++;
        firstError ??= String((error as Error)?.message ?? error);
      } finally {
        await session?.close().catch(() => undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ms = (q: number) => Math.round(quantile(latencies, q) * 10) / 10;
  return { journeys: users, turns, seconds, turnsPerSecond: turns / seconds, p50: ms(0.5), p95: ms(0.95), p99: ms(0.99), errors, ...(firstError ? { firstError } : {}) };
}

/** Apple's status feed, nothing reported (served here, so the status fix never waits on the internet). */
const APPLE_FEED = `jsonCallback(${JSON.stringify({ drpost: false, services: [{ serviceName: 'iCloud Backup', redirectUrl: 'https://support.apple.com/icloud', events: [] }] })});`;
const CONNECTOR_PATH = /^\/v3\/conversations\/([^/]+)\/activities/;

/** A fake connector (replies kept per conversation) and Apple's feed, in this process. */
export async function startConnector(): Promise<{ url: string; appleUrl: string; take(conversationId: string): ReplyActivity[]; close(): Promise<void> }> {
  const inbox = new Map<string, ReplyActivity[]>();
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = req.method === 'POST' ? CONNECTOR_PATH.exec(req.url ?? '') : null;
      if (match) {
        const id = decodeURIComponent(match[1]!);
        const list = inbox.get(id) ?? [];
        list.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReplyActivity);
        inbox.set(id, list);
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(`{"id":"r${next++}"}`);
      }
      if (req.method === 'GET' && req.url === '/apple') {
        res.writeHead(200, { 'content-type': 'application/javascript' });
        return void res.end(APPLE_FEED);
      }
      res.writeHead(404);
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    appleUrl: `${url}/apple`,
    take(conversationId) {
      const list = inbox.get(conversationId) ?? [];
      inbox.delete(conversationId);
      return list;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Users on the connector's transport: POST /api/messages, replies from the fake connector. */
export function connectorTransport(botUrl: string, connector: Awaited<ReturnType<typeof startConnector>>, run: string, agent: Agent): Transport {
  let activityIds = 0;
  return async (user) => {
    const conversationId = `${run}-journey-${user}`;
    return {
      async send(text) {
        const response = await fetch(`${botUrl}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `${run}-${activityIds++}`,
            timestamp: new Date().toISOString(),
            channelId: 'emulator',
            serviceUrl: connector.url,
            from: { id: `user-${run}-${user}`, name: 'User' },
            recipient: { id: 'bot', name: 'Bot' },
            conversation: { id: conversationId },
            locale: 'en-US',
            text,
          }),
          dispatcher: agent,
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}`);
        return connector.take(conversationId);
      },
      close: async () => undefined,
    };
  };
}

interface StreamActivity extends ReplyActivity {
  replyToId?: string;
  from?: { id?: string; role?: string };
}

/** Users on the built-in Direct Line: token, conversation, WebSocket; replies read from the stream. */
export function directLineTransport(botUrl: string, agent: Agent): Transport {
  const post = async <T>(url: string, token: string | undefined, body: unknown): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    const json = (await response.json()) as T;
    if (response.status >= 300) throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return async () => {
    const { token, userId, domain } = await post<{ token: string; userId: string; domain: string }>(`${botUrl}/api/directline/token`, undefined, {});
    const { conversationId, streamUrl } = await post<{ conversationId: string; streamUrl: string }>(`${domain}/conversations`, token, {});
    const fromBot: StreamActivity[] = [];
    let arrived: (() => void) | undefined;
    const ws = new WebSocket(streamUrl);
    ws.on('message', (data) => {
      const raw = String(data);
      if (!raw) return;
      for (const a of (JSON.parse(raw) as { activities: StreamActivity[] }).activities) if (a.from?.id !== userId) fromBot.push(a);
      arrived?.();
    });
    const waitFor = async (ready: () => boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!ready()) {
        if (Date.now() > deadline || ws.readyState > WebSocket.OPEN) throw new Error(`Direct Line: no ${what} on the stream`);
        await new Promise<void>((resolve) => {
          arrived = resolve;
          setTimeout(resolve, 50);
        });
      }
    };
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // The welcome comes first, as in Web Chat; the user types once it is on screen.
    await waitFor(() => fromBot.some((a) => a.type === 'message'), 'welcome');
    fromBot.length = 0;
    return {
      async send(text) {
        const { id } = await post<{ id: string }>(`${domain}/conversations/${encodeURIComponent(conversationId)}/activities`, token, { type: 'message', from: { id: userId }, text });
        // The turn is over when the POST answers, its replies written to the stream before that; let the socket catch up.
        await new Promise((resolve) => setImmediate(resolve));
        await waitFor(() => fromBot.some((a) => a.replyToId === id), 'reply');
        const replies = fromBot.filter((a) => a.replyToId === id);
        fromBot.length = 0;
        return replies;
      },
      async close() {
        ws.close();
      },
    };
  };
}
