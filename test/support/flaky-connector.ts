import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyConnector {
  /** The serviceUrl to give the bot: requests go on to the real connector unless it is failing. */
  url: string;
  /** The next `count` requests get 503 (Infinity: every request until `recover()`). */
  fail(count: number): void;
  recover(): void;
  /** Requests answered 503 so far. */
  refused(): number;
  close(): Promise<void>;
}

/**
 * A channel's connector with outages: a proxy in front of a real connector
 * (the loopback channel) that answers 503 while told to fail, as Bot Framework
 * connectors do during an incident.
 */
export async function startFlakyConnector(target: string): Promise<FlakyConnector> {
  let failing = 0;
  let refused = 0;
  const base = target.replace(/\/$/, '');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failing > 0) {
        failing -= 1;
        refused += 1;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"ServiceUnavailable","message":"connector outage"}}');
        return;
      }
      void fetch(`${base}${req.url ?? '/'}`, {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
      }).then(async (forwarded) => {
        res.writeHead(forwarded.status, { 'content-type': 'application/json' });
        res.end(await forwarded.text());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    fail: (count) => {
      failing = count;
    },
    recover: () => {
      failing = 0;
    },
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
