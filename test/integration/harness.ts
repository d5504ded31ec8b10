import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder-core';
import { parse as parseYaml } from 'yaml';
import { LoopbackChannel } from '../../src/channels/loopback';
import { startBot } from '../support/running-bot';
import type { RunningBot } from '../support/running-bot';

export const ROOT = join(__dirname, '..', '..');
export const DIALOGS = join(ROOT, 'dialogs');

/** Folders made by a test file; `removeTempDirs()` deletes them in afterAll. */
const tempDirs: string[] = [];

export function tempDir(prefix = 'integration-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of dialogs/ that a test may edit or break. */
export function copyOfDialogs(): string {
  const dir = tempDir('integration-dialogs-');
  cpSync(DIALOGS, dir, { recursive: true });
  return dir;
}

/** The parsed YAML of a content file in dialogs/. */
export function readContent<T = Record<string, unknown>>(file: string, dir = DIALOGS): T {
  return parseYaml(readFileSync(join(dir, file), 'utf8')) as T;
}

export interface FixYaml {
  id: string;
  order: number;
  title: string;
  intro: string;
  verify?: string;
  steps: Array<{ id: string; say?: string; text?: Record<string, string> }>;
}

export function replaceInFile(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** YAML folds `>-` text into one line; the bot sends it as folded. */
export function messagesText(): Record<string, string> {
  return readContent<{ text: Record<string, string> }>('messages.yaml').text;
}

// ---------------------------------------------------------------------------
// A local stand-in for Apple's system status feed.

export interface FakeApple {
  url: string;
  hits(): number;
  /** What the next requests get. */
  respond(status: number, body: string): void;
  /**
   * Holds every answer until `release()` is called; `arrived` resolves when
   * the first held request comes in (the bot is then mid-turn, waiting).
   */
  hold(): { arrived: Promise<void>; release: () => void };
  close(): Promise<void>;
}

export async function startFakeApple(): Promise<FakeApple> {
  let hits = 0;
  let reply = { status: 200, body: appleFeed([appleService('iCloud Backup')]) };
  let gate: { opened: Promise<void>; onArrival: () => void } | undefined;
  const server: Server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    hits += 1;
    const answer = () => {
      res.writeHead(reply.status, { 'content-type': 'application/javascript' });
      res.end(reply.body);
    };
    if (!gate) return answer();
    gate.onArrival();
    void gate.opened.then(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/support/systemstatus/data/system_status_en_US.js`,
    hits: () => hits,
    respond: (status, body) => {
      reply = { status, body };
    },
    hold: () => {
      let release!: () => void;
      let onArrival!: () => void;
      const opened = new Promise<void>((resolve) => (release = resolve));
      const arrived = new Promise<void>((resolve) => (onArrival = resolve));
      gate = { opened, onArrival };
      return {
        arrived,
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Apple's feed is JSONP around `{ services: [...] }`. */
export function appleFeed(services: unknown[]): string {
  return `jsonCallback(${JSON.stringify({ drpost: false, services })});`;
}

export function appleService(serviceName: string, events: unknown[] = []): unknown {
  return { serviceName, redirectUrl: 'https://support.apple.com/icloud', events };
}

// ---------------------------------------------------------------------------
// The real app on a loopback port, with the loopback channel as its connector.

export { startBot } from '../support/running-bot';
export type { BotOptions, RunningBot } from '../support/running-bot';

/**
 * The real bot with a fake Apple status feed, for the tests of one describe
 * block: started before them, closed after. `feed` sets what Apple answers.
 */
export function useBotWithFakeApple(feed?: (apple: FakeApple) => void): { bot: () => RunningBot; apple: () => FakeApple } {
  let bot: RunningBot | undefined;
  let apple: FakeApple | undefined;
  beforeAll(async () => {
    apple = await startFakeApple();
    feed?.(apple);
    bot = await startBot({ statusUrl: apple.url });
  });
  afterAll(async () => {
    await bot?.close();
    await apple?.close();
  });
  return { bot: () => bot!, apple: () => apple! };
}

/** A complete, valid message activity, as the loopback channel would send it, with `overrides`. */
export function validActivity(serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const unique = Math.random().toString(36).slice(2);
  return {
    type: 'message',
    id: `act-${unique}`,
    channelId: 'emulator',
    serviceUrl,
    conversation: { id: `conv-${unique}` },
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
    text: 'hello',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// One conversation, seen turn by turn.

export interface Turn {
  status: number;
  /** The HTTP response body of the POST. */
  body: string;
  /** Message activities the connector received for this turn. */
  activities: Partial<Activity>[];
  /** Their texts, joined with newlines. */
  text: string;
  /** Button labels offered this turn (suggested actions), in order. */
  buttons: string[];
}

/** What the bot sends as one message: the texts it says in a row, joined (src/bot/merged-replies.ts). */
export function oneMessage(...texts: string[]): string {
  return texts.join('\n\n');
}

let conversationCount = 0;

export class Conversation {
  private seen = 0;
  readonly transcript: string[] = [];

  constructor(
    readonly channel: LoopbackChannel,
    readonly id = `conv-${process.pid}-${++conversationCount}-${Date.now()}`,
  ) {}

  /** Opens the conversation the way a channel does: conversationUpdate with membersAdded. */
  async join(): Promise<Turn> {
    const res = await this.channel.startConversation(this.id);
    return this.collect(res, '[join]');
  }

  async say(text: string, extra: Partial<Activity> = {}): Promise<Turn> {
    const res = await this.channel.sendText(this.id, text, extra);
    return this.collect(res, `> ${text}`);
  }

  /** Replies that arrived since the last turn was collected. */
  collect(res: { status: number; body: string }, label = ''): Turn {
    const all = this.channel.received(this.id);
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    const activities = fresh.filter((a) => a.type === 'message');
    const text = activities.map((a) => a.text ?? '').join('\n');
    const buttons = activities.flatMap((a) => (a.suggestedActions?.actions ?? []).map((b) => String(b.title ?? b.value)));
    if (label) this.transcript.push(label);
    for (const a of activities) this.transcript.push(`< ${a.text ?? ''}${a.suggestedActions ? ` [${buttons.join(' | ')}]` : ''}`);
    return { status: res.status, body: res.body, activities, text, buttons };
  }

  /** Everything said so far, for failure messages. */
  dump(): string {
    return this.transcript.join('\n');
  }
}
