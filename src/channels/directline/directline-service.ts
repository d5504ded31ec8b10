import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log';
import { HttpError } from '../../server/http-error';
import { parseWatermark } from './conversation-log';
import type { ActivitySet, ClientActivity, Listener, WireActivity } from './conversation-store';
import type { Created, DirectLineStore } from './directline-store';
import { expiryNotice } from './expiry-notice';
import { RetryLaterError } from './retry-later-error';
import type { TokenSigner } from './token-signer';
import type { DrainResult, TurnKind, TurnQueue } from './turn-queue';

/** Where the service is mounted on the server (Azure's path, so clients need no change). */
export const DIRECT_LINE_PATH = '/v3/directline';

/** Who is calling: the service secret (every conversation) or a token (one conversation, one user). */
export type Caller = { kind: 'secret' } | { kind: 'token'; token: string; conversationId: string; userId: string; exp: number };

/** The body of POST /conversations and GET /conversations/{id}. */
export interface ConversationInfo {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl: string;
}

export interface DirectLineServiceOptions {
  /** A signer, or how to get one (its secret may first have to be agreed with other instances). */
  signer: TokenSigner | (() => Promise<TokenSigner>);
  store: DirectLineStore;
  /** Every turn sent to the bot goes through this queue: bounded, refused with 429 when full. */
  turns: TurnQueue;
  /** Resolves once the bot has finished the turn. */
  postToBot: (activity: WireActivity) => Promise<void>;
  /** The connector base URL the bot replies to (its `serviceUrl`); a function because the port is known only after listen(). */
  serviceUrl: () => string;
  botId: string;
  /** Activities bigger than this (as JSON) get 413, the user's and the bot's alike. */
  maxActivityBytes: number;
  log: Logger;
  now?: () => number;
  /** Pause before each retry of a failed welcome (the bot welcomes once per conversation, so a retry can't welcome twice). */
  welcomeRetryDelaysMs?: readonly number[];
}

/** What the caller's request says about a conversation the store does not hold. */
interface Arrival {
  /** The client's watermark: it saw activities up to this one. */
  watermark?: string;
  /** The client asked to reconnect (GET /conversations/{id}): it had this conversation before. */
  reconnecting?: boolean;
}

/** The client fields a user may set; the service sets identity, ids and timestamps itself. */
const CLIENT_FIELDS = [
  'type', 'text', 'textFormat', 'locale', 'localTimestamp', 'localTimezone', 'attachments', 'attachmentLayout',
  'channelData', 'entities', 'name', 'value', 'valueType', 'speak', 'inputHint',
] as const;
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);

/**
 * The Direct Line 3.0 protocol, minus HTTP: tokens, conversations, the
 * user's activities (echoed into the log, then sent to the bot) and the bot's
 * replies (arriving through the connector route).
 */
export class DirectLineService {
  private readonly now: () => number;

  constructor(private readonly options: DirectLineServiceOptions) {
    for (const key of ['signer', 'store', 'turns', 'postToBot', 'serviceUrl', 'botId', 'log'] as const) {
      if (!options[key]) throw new Error(`DirectLineService needs "${key}"`);
    }
    if (!(options.maxActivityBytes > 0)) throw new Error('DirectLineService needs maxActivityBytes > 0');
    this.now = options.now ?? Date.now;
  }

  /** Reads `Authorization: Bearer …`: the secret, or a genuine unexpired token (401 otherwise). */
  async authenticate(authorization: string | undefined): Promise<Caller> {
    const credential = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!credential) throw new HttpError('DL_UNAUTHORIZED');
    const signer = await this.signer();
    if (signer.isSecret(credential)) return { kind: 'secret' };
    return { kind: 'token', token: credential, ...signer.verify(credential) };
  }

  /** POST /tokens/generate: secret only; a token bound to a new conversation and a user id. */
  async generateToken(caller: Caller, userId?: unknown): Promise<{ conversationId: string; token: string; expires_in: number }> {
    if (caller.kind !== 'secret') throw new HttpError('DL_FORBIDDEN', 'Only the secret can generate tokens.');
    const conversationId = newId();
    const user = validUserId(userId) ?? `dl_${newId()}`;
    const { token, expiresIn } = (await this.signer()).issue({ conversationId, userId: user });
    return { conversationId, token, expires_in: expiresIn };
  }

  /** POST /tokens/refresh: a fresh token for the same conversation and user. */
  async refreshToken(caller: Caller): Promise<{ conversationId: string; token: string; expires_in: number }> {
    if (caller.kind !== 'token') throw new HttpError('DL_FORBIDDEN', 'Refresh a token, not the secret.');
    const { token, expiresIn } = (await this.signer()).issue({ conversationId: caller.conversationId, userId: caller.userId });
    return { conversationId: caller.conversationId, token, expires_in: expiresIn };
  }

  /**
   * POST /conversations: starts the token's conversation (or a new one for
   * the secret) and, like Azure, tells the bot the user joined, so the
   * welcome arrives before the user types anything. When the welcome can't
   * be queued the start is refused with 429 and nothing is created, so the
   * client's retry (same token) starts it cleanly.
   */
  async startConversation(caller: Caller, streamBase: string): Promise<ConversationInfo> {
    const signer = await this.signer();
    const { conversationId, userId, token, expiresIn } =
      caller.kind === 'token'
        ? { ...caller, expiresIn: this.remaining(caller) }
        : (() => {
            const ids = { conversationId: newId(), userId: `dl_${newId()}` };
            return { ...ids, ...signer.issue(ids) };
          })();
    if (caller.kind === 'token') await this.conversation(caller, conversationId);
    else await this.begin(conversationId, userId);
    return { conversationId, token, expires_in: expiresIn, streamUrl: this.streamUrl(streamBase, conversationId, token) };
  }

  /** GET /conversations/{id}?watermark=: a reconnect, with a stream URL that replays from the watermark. */
  async reconnect(caller: Caller, conversationId: string, watermark: string | undefined, streamBase: string): Promise<ConversationInfo> {
    const { userId } = await this.conversation(caller, conversationId, { watermark, reconnecting: true });
    const token = caller.kind === 'token' ? caller.token : (await this.signer()).issue({ conversationId, userId }).token;
    const expires_in = caller.kind === 'token' ? this.remaining(caller) : 0;
    return { conversationId, token, expires_in, streamUrl: this.streamUrl(streamBase, conversationId, token, watermark) };
  }

  /**
   * POST /conversations/{id}/activities: echo into the log (Web Chat waits for
   * it), then hand to the bot through the queue. A full queue answers 429
   * before anything is logged, so a refused message leaves no trace.
   */
  async postActivity(caller: Caller, conversationId: string, body: unknown): Promise<{ id: string }> {
    const conversation = await this.conversation(caller, conversationId);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError('DL_BAD_ACTIVITY');
    this.assertSize(body);
    const input = body as Record<string, unknown>;
    if (typeof input.type !== 'string' || !CLIENT_TYPES.has(input.type)) throw new HttpError('DL_BAD_ACTIVITY');
    if (input.text !== undefined && typeof input.text !== 'string') throw new HttpError('DL_BAD_ACTIVITY', '"text" must be a string.');
    const picked: Record<string, unknown> = {};
    for (const field of CLIENT_FIELDS) if (input[field] !== undefined) picked[field] = input[field];
    const from = input.from as { name?: unknown } | undefined;
    const userId = caller.kind === 'token' ? caller.userId : conversation.userId;
    this.options.turns.ensureRoom('message');
    // The turn takes its place in the queue now, before the echo is logged: no await may come between
    // the check above and the queueing, or another request could take the last place meanwhile.
    const echoing = this.options.store.append(conversationId, {
      ...picked,
      channelId: 'directline',
      conversation: { id: conversationId },
      from: { id: userId, ...(typeof from?.name === 'string' ? { name: from.name.slice(0, 100) } : {}), role: 'user' },
      timestamp: new Date(this.now()).toISOString(),
    });
    const turn = this.enqueue('message', conversationId, async () => this.sendToBot(conversationId, userId, await echoing));
    let echoed: ClientActivity;
    try {
      echoed = await echoing;
    } catch (error) {
      turn.catch(() => undefined); // the same failure, thrown here
      throw error;
    }
    await turn;
    return { id: echoed.id };
  }

  /** GET /conversations/{id}/activities?watermark= (polling). */
  async activities(caller: Caller, conversationId: string, watermark: string | undefined): Promise<ActivitySet> {
    await this.conversation(caller, conversationId, { watermark });
    return this.options.store.after(conversationId, watermark);
  }

  /** The connector route: a reply from the bot gets an id and a watermark and goes to every open stream. */
  async receiveFromBot(conversationId: string, body: unknown, replyToId?: string): Promise<{ id: string }> {
    if (!(await this.options.store.get(conversationId))) throw new HttpError('DL_CONVERSATION_NOT_FOUND');
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError('DL_BAD_ACTIVITY');
    this.assertSize(body);
    // serviceUrl names the secret connector route: it must never reach a client.
    const { serviceUrl: _serviceUrl, ...activity } = body as WireActivity;
    const stored = await this.options.store.append(conversationId, {
      ...activity,
      channelId: 'directline',
      conversation: { id: conversationId },
      from: activity.from ?? { id: this.options.botId, role: 'bot' },
      timestamp: new Date(this.now()).toISOString(),
      ...(replyToId ? { replyToId } : {}),
    });
    return { id: stored.id };
  }

  /** For the WebSocket: the token must be for this conversation; replays after `watermark`, then streams. */
  async openStream(token: string, conversationId: string, watermark: string | undefined, listener: Listener): Promise<() => void> {
    const caller = await this.authenticate(`Bearer ${token}`);
    if (this.options.turns.closing) throw new RetryLaterError('DL_SHUTTING_DOWN', this.options.turns.retryAfterSeconds());
    await this.conversation(caller, conversationId, { watermark });
    return this.options.store.watch(conversationId, watermark, listener);
  }

  /**
   * Stops taking turns (new ones get 503) and waits, at most `graceMs`, for
   * those queued and running, so shutting down never cuts a reply in half.
   */
  async close(graceMs: number): Promise<DrainResult> {
    const result = await this.options.turns.close(graceMs);
    if (result.abandoned + result.refused > 0) this.options.log.warn('direct line: turns unfinished at shutdown', { ...result });
    return result;
  }

  /**
   * The caller's conversation. A genuine token's conversation always exists,
   * as on Azure: one never started starts now (with its welcome); one this
   * server no longer holds (evicted, or lost in a restart) is re-created with
   * a notice saying its earlier messages are gone.
   */
  private async conversation(caller: Caller, conversationId: string, arrival: Arrival = {}): Promise<{ userId: string }> {
    if (caller.kind === 'token' && caller.conversationId !== conversationId) throw new HttpError('DL_FORBIDDEN');
    const found = await this.options.store.get(conversationId);
    if (found) return found;
    if (caller.kind !== 'token') throw new HttpError('DL_CONVERSATION_NOT_FOUND');
    const evictedAt = await this.options.store.evicted(conversationId);
    const seen = parseWatermark(arrival.watermark);
    const returning = evictedAt !== undefined || seen !== undefined || (arrival.reconnecting && !(await this.options.store.startRefused(conversationId)));
    if (!returning) return this.begin(conversationId, caller.userId);
    return this.restore(conversationId, caller.userId, Math.max(evictedAt ?? -1, seen ?? -1));
  }

  /**
   * A new conversation and its welcome turn; refused whole (429) if the
   * welcome can't be queued. The welcome takes its place in the queue before
   * the conversation is created (nothing awaited between check and queueing)
   * and is sent only by whoever created it, so two instances starting the same
   * conversation at once welcome once.
   */
  private async begin(conversationId: string, userId: string): Promise<{ userId: string }> {
    let settle!: (created: Created | undefined) => void;
    const creation = new Promise<Created | undefined>((resolve) => (settle = resolve));
    let release = () => undefined as void;
    const welcome: WireActivity = {
      type: 'conversationUpdate',
      membersAdded: [{ id: this.options.botId, name: this.options.botId }, { id: userId }],
    };
    let created: Created;
    try {
      this.options.turns.ensureRoom('start');
      this.options.turns
        .submit('start', async () => {
          if ((await creation)?.fresh) await this.withRetries(() => this.sendToBot(conversationId, userId, welcome));
        })
        .catch(() => undefined) // logged in sendToBot
        .finally(() => release());
      created = await this.create(conversationId, userId, -1);
    } catch (error) {
      settle(undefined);
      // The widget keeps its token and "resumes" this conversation on reload: it must start then, not claim a past.
      await this.options.store.refuseStart(conversationId).catch(() => undefined); // the refusal itself matters more
      throw error;
    }
    // Kept in memory until the welcome is over, so the bot's replies land.
    release = this.options.store.hold(conversationId);
    settle(created);
    return created;
  }

  /** A conversation the client had before: numbering goes on past what it saw, and the notice tells the user. */
  private async restore(conversationId: string, userId: string, lastSeq: number): Promise<{ userId: string }> {
    const created = await this.create(conversationId, userId, lastSeq);
    if (!created.fresh) return created; // another request (or instance) re-created it and told the user
    await this.options.store.append(conversationId, expiryNotice(this.options.botId, new Date(this.now()).toISOString()));
    this.options.log.info('direct line: conversation re-created after expiry', { conversationId });
    return created;
  }

  private async create(conversationId: string, userId: string, lastSeq: number): Promise<Created> {
    const created = await this.options.store.create(conversationId, userId, lastSeq);
    if (!created) throw new RetryLaterError('DL_BUSY', this.options.turns.retryAfterSeconds());
    return created;
  }

  /** Queues a turn, keeping its conversation in memory until the turn is over so the bot's replies land. */
  private enqueue(kind: TurnKind, conversationId: string, job: () => Promise<void>): Promise<void> {
    this.options.turns.ensureRoom(kind);
    const release = this.options.store.hold(conversationId);
    return this.options.turns.submit(kind, job).finally(release);
  }

  /** The signer, once its secret is known; retried on the next request if getting it failed. */
  private signer(): Promise<TokenSigner> {
    const { signer } = this.options;
    return typeof signer === 'function' ? signer() : Promise.resolve(signer);
  }

  private async withRetries(attempt: () => Promise<void>): Promise<void> {
    const delays = this.options.welcomeRetryDelaysMs ?? [250, 1000];
    for (let i = 0; ; i += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (i >= delays.length || this.options.turns.closing) throw error;
        await new Promise((resolve) => setTimeout(resolve, delays[i]));
      }
    }
  }

  private assertSize(activity: object): void {
    if (Buffer.byteLength(JSON.stringify(activity)) > this.options.maxActivityBytes) {
      throw new HttpError('DL_TOO_LARGE', `The limit is ${this.options.maxActivityBytes} bytes.`);
    }
  }

  private remaining(caller: { exp: number }): number {
    return Math.max(0, caller.exp - Math.floor(this.now() / 1000));
  }

  private streamUrl(base: string, conversationId: string, token: string, watermark?: string): string {
    const ws = base.replace(/^http/, 'ws');
    const query = new URLSearchParams({ ...(watermark ? { watermark } : {}), t: token });
    return `${ws}${DIRECT_LINE_PATH}/conversations/${encodeURIComponent(conversationId)}/stream?${query}`;
  }

  private sendToBot(conversationId: string, userId: string, activity: WireActivity): Promise<void> {
    const { log, botId } = this.options;
    return this.options
      .postToBot({
        ...activity,
        channelId: 'directline',
        serviceUrl: this.options.serviceUrl(),
        conversation: { id: conversationId },
        from: activity.from ?? { id: userId, role: 'user' },
        recipient: { id: botId, name: botId, role: 'bot' },
        timestamp: activity.timestamp ?? new Date(this.now()).toISOString(),
      })
      .catch((error: unknown) => {
        const reason = error instanceof Error && error.cause !== undefined ? error.cause : error;
        log.warn('direct line: the bot did not take an activity', { conversationId, type: activity.type, error: String(reason) });
        throw error;
      });
  }
}

/** Conversation ids like Azure's: opaque, URL-safe, unguessable. */
function newId(): string {
  return randomBytes(16).toString('base64url');
}

function validUserId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.:@-]{1,64}$/.test(value) ? value : undefined;
}

export type { ClientActivity };
