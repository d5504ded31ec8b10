import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder-core';

export interface LoopbackChannelOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  channelId?: string;
  /** Extra headers for each POST to the bot (e.g. Authorization). */
  headers?: Record<string, string>;
}

export interface SendResult {
  status: number;
  body: string;
}

/**
 * A channel on this machine, speaking the Bot Framework wire protocol for
 * real: it POSTs activities to the bot's endpoint and runs a small connector
 * service (the bot's `serviceUrl`) that receives the bot's replies. The
 * terminal chat and the integration tests both talk to the bot through it.
 */
export class LoopbackChannel {
  private readonly replies = new Map<string, Partial<Activity>[]>();
  private readonly updateLog = new Map<string, Partial<Activity>[]>();
  private listeners: Array<(activity: Partial<Activity>) => void> = [];

  private constructor(
    private readonly server: Server,
    readonly serviceUrl: string,
    private readonly options: Required<Omit<LoopbackChannelOptions, 'headers'>> & Pick<LoopbackChannelOptions, 'headers'>,
  ) {}

  static async start(options: LoopbackChannelOptions): Promise<LoopbackChannel> {
    let channel: LoopbackChannel | undefined;
    const server = createServer((req, res) => channel!.receive(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    channel = new LoopbackChannel(server, `http://127.0.0.1:${port}/`, { channelId: 'emulator', ...options });
    return channel;
  }

  /** Calls `listener` with every activity the bot sends, as it arrives. */
  onActivity(listener: (activity: Partial<Activity>) => void): void {
    this.listeners.push(listener);
  }

  /** Everything the bot has sent to a conversation so far. */
  received(conversationId: string): Partial<Activity>[] {
    return this.replies.get(conversationId) ?? [];
  }

  /** Every activity the bot replaced in a conversation (PUT, e.g. a card once answered), with its id. */
  updates(conversationId: string): Partial<Activity>[] {
    return this.updateLog.get(conversationId) ?? [];
  }

  /**
   * Posts an activity to the bot, filling in what a channel always sends; `endpoint` sends it to
   * another instance of the bot than the one the channel was started with (scale-out tests).
   */
  async send(activity: Partial<Activity> & { conversation: { id: string } }, endpoint?: string): Promise<SendResult> {
    const full = {
      id: randomUUID(),
      channelId: this.options.channelId,
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: 'user-1', name: 'User' },
      recipient: { id: 'bot', name: 'Bot' },
      ...activity,
    };
    return this.post(JSON.stringify(full), 'application/json', endpoint);
  }

  /** Posts a raw body, for tests of malformed requests. */
  async post(body: string, contentType = 'application/json', endpoint = this.options.botEndpoint): Promise<SendResult> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': contentType, ...this.options.headers },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  sendText(conversationId: string, text: string, extra: Partial<Activity> = {}, endpoint?: string): Promise<SendResult> {
    return this.send({ type: 'message', text, conversation: { id: conversationId }, ...extra } as Partial<Activity> & {
      conversation: { id: string };
    }, endpoint);
  }

  /** What a channel sends when a user opens a conversation with the bot. */
  startConversation(conversationId: string, userId = 'user-1'): Promise<SendResult> {
    return this.send({
      type: 'conversationUpdate',
      conversation: { id: conversationId },
      from: { id: userId },
      membersAdded: [{ id: userId }, { id: 'bot' }],
    } as Partial<Activity> & { conversation: { id: string } });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * The connector side: POST /v3/conversations/{id}/activities[/{replyToId}] → {id};
   * PUT /v3/conversations/{id}/activities/{activityId} replaces a sent activity.
   */
  private receive(req: IncomingMessage, res: ServerResponse): void {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(req.url ?? '');
    const isUpdate = req.method === 'PUT' && match?.[2] !== undefined;
    if ((req.method !== 'POST' && !isUpdate) || !match) {
      reply(res, 404, { error: { code: 'NotFound' } });
      return;
    }
    const conversationId = decodeURIComponent(match[1]!);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let activity: Partial<Activity>;
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
      } catch {
        reply(res, 400, { error: { code: 'BadArgument' } });
        return;
      }
      if (isUpdate) {
        const updated = { ...activity, id: decodeURIComponent(match[2]!) };
        this.updateLog.set(conversationId, [...this.updates(conversationId), updated]);
        reply(res, 200, { id: updated.id });
        return;
      }
      const id = randomUUID();
      const stored = { ...activity, id };
      const list = this.replies.get(conversationId) ?? [];
      list.push(stored);
      this.replies.set(conversationId, list);
      for (const listener of this.listeners) listener(stored);
      reply(res, 200, { id });
    });
  }
}

/** Two calls, not a chain: restify patches ServerResponse.writeHead process-wide and it no longer returns `this`. */
function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
