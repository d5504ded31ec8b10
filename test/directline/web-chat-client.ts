/**
 * The official Direct Line client (botframework-directlinejs, the one inside
 * Web Chat) set up to run in Node, with a record of how its sockets closed.
 */
import XHR from 'xhr2';
import WebSocket from 'ws';
import { DirectLine } from 'botframework-directlinejs';
import type { Activity } from 'botframework-directlinejs';
import { EXPIRY_NOTICE } from '../../src/channels/directline';
import { pageToken, waitFor } from './harness';
import type { Issued } from './harness';

// How the directlinejs README says to run it in Node.
const globals = globalThis as unknown as Record<string, unknown>;
globals.XMLHttpRequest = XHR;
globals.WebSocket = WebSocket;

export interface SocketClose {
  url: string;
  code: number;
  reason: string;
}

/** Every stream socket a client opened that has closed, in order. */
export const socketCloses: SocketClose[] = [];

/** ws's WebSocket, recording each close (directlinejs itself does not expose the code). */
class RecordingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    this.on('close', (code, reason) => socketCloses.push({ url, code, reason: reason.toString() }));
  }
}

export interface Session {
  client: DirectLine;
  seen: Activity[];
  issued: Issued;
}

export interface ConnectOptions {
  webSocket: boolean;
  conversationId?: string;
  watermark?: string;
  /** directlinejs waits 3 s + random() × 12 s before reconnecting a closed stream; 0 makes it 3 s. */
  random?: () => number;
  /** directlinejs's request timeout and retry pause (default 20 s). */
  timeout?: number;
}

const sessions: Session[] = [];

export function connect(issued: Issued, options: ConnectOptions): Session {
  const client = new DirectLine({ token: issued.token, domain: issued.domain, pollingInterval: 200, WebSocket: RecordingWebSocket as unknown as typeof globalThis.WebSocket, ...options });
  const seen: Activity[] = [];
  // end() errors the stream with "conversation ended": expected, not a failure.
  client.activity$.subscribe({ next: (a) => seen.push(a), error: () => undefined });
  const session = { client, seen, issued };
  sessions.push(session);
  return session;
}

/** Ends every client connect() made (call in afterAll). */
export function endClients(): void {
  for (const s of sessions.splice(0)) s.client.end();
}

export const fromBot = (s: Session) => s.seen.filter((a) => a.from.role !== 'user' && a.type === 'message');
export const textOf = (a: Activity) => (a as { text?: string }).text;
export const hasButtons = (a: Activity) => ((a as { suggestedActions?: { actions?: unknown[] } }).suggestedActions?.actions?.length ?? 0) > 0;

export function send(s: Session, text: string): Promise<string> {
  return new Promise((resolve, reject) =>
    s.client.postActivity({ type: 'message', from: { id: s.issued.userId }, text } as Activity).subscribe(resolve, reject),
  );
}

/** The built-in service's notice that a conversation's earlier messages expired. */
export const isNotice = (a: Activity) => (a as { channelData?: { notice?: string } }).channelData?.notice === EXPIRY_NOTICE;

/** A client that has had the welcome menu. */
export async function welcomed(issued: Issued, options: ConnectOptions = { webSocket: true }): Promise<Session> {
  const s = connect(issued, options);
  await waitFor('the welcome menu', () => fromBot(s).find(hasButtons));
  return s;
}

/** Says `text` and resolves to the bot's first message after the echo. */
export async function say(s: Session, text: string): Promise<Activity> {
  const id = await send(s, text);
  const echo = await waitFor(`the echo of "${text}"`, () => s.seen.find((a) => a.id === id));
  return waitFor(`the answer to "${text}"`, () => s.seen.slice(s.seen.indexOf(echo) + 1).find((a) => a.from.role !== 'user' && a.type === 'message' && !isNotice(a)));
}

/**
 * What "done" gets mid-fix from a user never interrupted (a control, on the
 * app at `appUrl`); checked to differ from what it gets with no fix under way,
 * so matching it proves the bot carried on.
 */
export async function doneMidFix(appUrl: string): Promise<string | undefined> {
  const control = await welcomed(await pageToken(appUrl));
  await say(control, "whatsapp won't back up");
  const carriedOn = textOf(await say(control, 'done'));
  const fresh = await welcomed(await pageToken(appUrl));
  if (textOf(await say(fresh, 'done')) === carriedOn) throw new Error('"done" answers the same with no fix under way: no proof of carrying on');
  return carriedOn;
}
