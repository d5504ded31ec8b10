import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';

export const ROOT = join(__dirname, '..', '..');
/** A fixed built-in secret, so tests can sign tokens (expired ones) exactly as the server does. */
export const BUILTIN_SECRET = 'test-builtin-secret-0123456789abcdef0123456789';

export interface Running {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** The real app on a free port, with its state in a temp folder. */
export async function startApp(env: Record<string, string> = {}): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bot-dl-'));
  const app = createApp(
    loadConfig(
      { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DIRECT_LINE_BUILTIN_SECRET: BUILTIN_SECRET, APPLE_STATUS_URL: 'http://127.0.0.1:9/status.js', APPLE_STATUS_TIMEOUT_MS: '200', ...env },
      ROOT,
    ),
  );
  const url = await app.listen();
  return {
    app,
    url,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
