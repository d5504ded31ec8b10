/**
 * The agent console's API as the page calls it, over real HTTP: a session
 * cookie, the CSRF header, and the event stream read as it arrives.
 */
import type { HandoffFeedEvent } from '../../src/handoff/types';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export class AgentClient {
  cookie = '';
  private streams: AbortController[] = [];

  constructor(readonly url: string) {}

  async signIn(name: string, password: string): Promise<ApiAnswer> {
    const answer = await this.call('POST', '/agent/api/session', { name, password });
    const set = answer.headers.get('set-cookie') ?? '';
    const m = /agent_session=([^;]*)/.exec(set);
    if (answer.status === 200 && m) this.cookie = m[1]!;
    return answer;
  }

  /** One API call; `csrf: false` leaves out the console's header. */
  async call(method: string, path: string, body?: unknown, options: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...(options.csrf === false ? {} : { 'x-agent-console': '1' }), ...options.headers };
    if (this.cookie) headers.cookie = `agent_session=${this.cookie}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    // A kept-alive connection to a server that has since restarted fails once, as in a browser, which retries.
    const response = await fetch(`${this.url}${path}`, init).catch(() => fetch(`${this.url}${path}`, init));
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  /** Opens GET /agent/api/events; the events arrive in the returned list as they come. */
  async events(): Promise<{ status: number; events: HandoffFeedEvent[]; names: string[]; raw: string[] }> {
    const abort = new AbortController();
    this.streams.push(abort);
    const response = await fetch(`${this.url}/agent/api/events`, { headers: this.cookie ? { cookie: `agent_session=${this.cookie}` } : {}, signal: abort.signal });
    const out = { status: response.status, events: [] as HandoffFeedEvent[], names: [] as string[], raw: [] as string[] };
    if (response.status !== 200 || !response.body) return out;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            out.raw.push(block);
            const name = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (name && data) {
              out.names.push(name);
              out.events.push(JSON.parse(data) as HandoffFeedEvent);
            }
          }
        }
      } catch {
        // aborted
      }
    })();
    return out;
  }

  close(): void {
    for (const s of this.streams.splice(0)) s.abort();
  }
}

export async function eventually<T>(what: string, check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
