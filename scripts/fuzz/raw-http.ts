import { connect } from 'node:net';

export interface RawAnswer {
  /** Everything the server wrote before closing (or before `idleMs` of silence). */
  text: string;
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes bytes to the server as they are (no client library to tidy them up)
 * and reads the answer until the server closes the connection.
 * `keepOpen` leaves the writing side open (a body that never comes).
 */
export function rawExchange(baseUrl: string, bytes: string | Buffer, { keepOpen = false } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise<RawAnswer>((resolve) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    socket.on('connect', () => (keepOpen ? socket.write(bytes) : socket.end(bytes)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // a reset after the answer is fine: the answer is what counts
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('utf8'))));
  });
}

export function parseAnswer(text: string): RawAnswer {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
  return { text, status: status ? Number(status) : undefined, headers, body: rest.join('\r\n\r\n') };
}

/** The WebSocket handshake request for `path`. */
export function upgradeRequest(path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`
  );
}

/** Text that must never appear in an answer: exception messages, stack frames, Node error codes. */
export const INTERNAL_TEXT = /Error:|\n\s+at |\bat [\w.<>]+ \(|Maximum call stack|\bE[A-Z]{3,}\b|ERR_[A-Z_]+|node_modules|\/src\/|\.js:\d+/;
