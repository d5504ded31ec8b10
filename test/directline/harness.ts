import { join } from 'node:path';
import { startBot } from '../support/running-bot';
import type { RunningBot } from '../support/running-bot';

export const ROOT = join(__dirname, '..', '..');
/** A fixed built-in secret, so tests can sign tokens (expired ones) exactly as the server does. */
export const BUILTIN_SECRET = 'test-builtin-secret-0123456789abcdef0123456789';

export type Running = RunningBot;

/** The real app on a free port, with its state in a temp folder and a known built-in secret. */
export function startApp(env: Record<string, string> = {}): Promise<Running> {
  return startBot({ env: { DIRECT_LINE_BUILTIN_SECRET: BUILTIN_SECRET, APPLE_STATUS_TIMEOUT_MS: '200', ...env } });
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

export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
