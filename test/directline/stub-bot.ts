import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Turn {
  activity: { type?: string; text?: string; id?: string; serviceUrl?: string; conversation?: { id?: string } };
  release(): void;
}

export interface StubBot {
  endpoint: string;
  /** Turns that arrived, in order, whether finished or still held. */
  turns: Turn['activity'][];
  /** Finishes every held turn: a message gets the reply "echo: <text>" through the connector first. */
  releaseAll(): void;
  held(): number;
  close(): Promise<void>;
}

/**
 * A bot that holds each turn until the test lets it go, so a test decides
 * exactly which turns are in flight when the queue fills or the server shuts down.
 */
export async function startStubBot(): Promise<StubBot> {
  const turns: Turn['activity'][] = [];
  const held: Turn[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const activity = JSON.parse(body) as Turn['activity'];
      turns.push(activity);
      held.push({
        activity,
        release: () => {
          const reply =
            activity.type === 'message'
              ? fetch(`${activity.serviceUrl}/v3/conversations/${encodeURIComponent(activity.conversation?.id ?? '')}/activities/${encodeURIComponent(activity.id ?? '')}`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ type: 'message', text: `echo: ${activity.text}`, from: { id: 'bot', role: 'bot' } }),
                }).then((r) => r.arrayBuffer())
              : Promise.resolve();
          void reply
            .catch(() => undefined)
            .finally(() => {
              if (res.writableEnded || res.destroyed) return;
              res.statusCode = 200;
              res.setHeader('content-type', 'application/json');
              res.end('{}');
            });
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    turns,
    releaseAll: () => {
      for (const turn of held.splice(0)) turn.release();
    },
    held: () => held.length,
    async close() {
      for (const turn of held.splice(0)) turn.release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
