import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface HoldingConnector {
  /** The `serviceUrl` to put in activities. */
  serviceUrl: string;
  /** Resolves once `count` replies have arrived (and are being held). */
  arrived(count: number): Promise<void>;
  /** Answers every held reply and stops holding. */
  release(): void;
  /** Texts of the message activities received so far, per conversation id. */
  texts(conversationId: string): string[];
  close(): Promise<void>;
}

/**
 * A Bot Framework connector (the bot's `serviceUrl`) that holds each reply
 * unanswered until `release()`: the bot's turns stay in flight for as long as
 * a test needs, with no timer involved.
 */
export async function startHoldingConnector(): Promise<HoldingConnector> {
  const held: ServerResponse[] = [];
  const received = new Map<string, string[]>();
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  let holding = true;
  let total = 0;
  const answer = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: randomUUID() }));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const conversationId = decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { type?: string; text?: string };
      if (activity.type === 'message') received.set(conversationId, [...(received.get(conversationId) ?? []), activity.text ?? '']);
      total += 1;
      for (const w of waiting.filter((x) => x.count <= total)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      if (holding) held.push(res);
      else answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    arrived: (count) => (count <= total ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }))),
    release() {
      holding = false;
      for (const res of held.splice(0)) answer(res);
    },
    texts: (conversationId) => received.get(conversationId) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
