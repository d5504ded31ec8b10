import { join } from 'node:path';
import WebSocket from 'ws';
import { startBot } from '../support/running-bot';
import type { BotOptions, RunningBot } from '../support/running-bot';

export const ROOT = join(__dirname, '..', '..');
/** A fixed built-in secret, so tests can sign tokens (expired ones) exactly as the server does. */
export const BUILTIN_SECRET = 'test-builtin-secret-0123456789abcdef0123456789';

export type Running = RunningBot;

/** The real app on a free port, with its state in a temp folder and a known built-in secret. */
export function startApp(env: Record<string, string> = {}, options: Omit<BotOptions, 'env'> = {}): Promise<Running> {
  return startBot({ ...options, env: { DIRECT_LINE_BUILTIN_SECRET: BUILTIN_SECRET, APPLE_STATUS_TIMEOUT_MS: '200', ...env } });
}

export interface Issued {
  token: string;
  conversationId: string;
  userId: string;
  domain: string;
  expires_in: number;
}

/** What the widget does first: ask the page's token route. */
export async function pageToken(url: string): Promise<Issued> {
  const response = await fetch(`${url}/api/directline/token`, { method: 'POST' });
  if (response.status !== 200) throw new Error(`token route answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Issued;
}

export async function call(
  method: string,
  url: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The HTTP status a WebSocket upgrade gets (101 when it opens). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', (e) => (String(e).includes('Unexpected server response') ? undefined : reject(e)));
  });
}
