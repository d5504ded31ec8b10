import { Agent, EnvHttpProxyAgent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { ConnectorClient } from './in-process-connector';

/** Retries after the first attempt, as the connector client's default retry policy makes them. */
const MAX_RETRIES = 3;
/** Statuses the connector client retries with exponential backoff (5xx but 501 and 505, and 408). */
const retriedStatus = (status: number) => (status >= 500 || status === 408) && status !== 501 && status !== 505;
/** Connection failures the connector client retries (its list, plus undici's names for a dropped socket). */
const RETRIED_ERRORS = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

const USER_AGENT = `Microsoft-BotFramework/3.1 whatsapp-icloud-backup-bot (Node.js ${process.version})`;

/** A reply the channel refused: its HTTP status, and the Bot Framework error code from the body when there was one. */
export class ChannelRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ChannelRequestError';
  }
}

export interface LeanSendOptions {
  /** Connections to channels, kept alive and reused (`channelDispatcher()`). */
  dispatcher: Dispatcher;
  /** The first backoff; doubled each retry, with jitter (the Azure pipeline's 1 s; tests shorten it). */
  retryDelayMs?: number;
}

/**
 * The connections replies go out on: one kept-alive pool per channel origin;
 * through the proxy HTTP(S)_PROXY names (NO_PROXY excepted), as the Azure
 * pipeline went, when one is set.
 */
export function channelDispatcher(env: NodeJS.ProcessEnv = process.env): Dispatcher {
  // A channel answers a sent activity with its id, or an error: a body past 1 MB is refused, not read into memory.
  const connections = { keepAliveTimeout: 30_000, maxResponseSize: 1024 * 1024 };
  const httpProxy = env.HTTP_PROXY || env.http_proxy;
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy;
  if (!httpProxy && !httpsProxy) return new Agent(connections);
  return new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: env.NO_PROXY || env.no_proxy, ...connections });
}

type Credentials = { signRequest(resource: unknown): Promise<unknown> };
type ResourceResponse = { id?: string };

/**
 * The connector client with its two calls of every turn, reply and send to
 * conversation, made as one plain HTTP request each. The client's Azure
 * pipeline (a dozen policies, mapper serialisation, a tracing span, header
 * objects) cost about a tenth of a turn's CPU for what is a JSON POST. The
 * wire stays the Bot Framework connector API's: the same URL, the activity
 * as JSON, the client's own credentials signing each attempt, and the
 * client's retries (3, exponential backoff from 1 s with jitter, or the
 * channel's Retry-After on 429 and 503). Every other call goes to the client.
 */
export function withLeanSends(client: ConnectorClient, serviceUrl: string, options: LeanSendOptions): ConnectorClient {
  const base = serviceUrl.replace(/\/+$/, '');
  const credentials = (client as unknown as { credentials: Credentials }).credentials;
  const post = (path: string, activity: unknown) => send(`${base}${path}`, JSON.stringify(activity), credentials, options);
  const conversations = Object.create(client.conversations) as ConnectorClient['conversations'];
  Object.assign(conversations, {
    replyToActivity: (conversationId: string, activityId: string, activity: unknown) =>
      post(`/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`, activity),
    sendToConversation: (conversationId: string, activity: unknown) => post(`/v3/conversations/${encodeURIComponent(conversationId)}/activities`, activity),
  });
  const lean = Object.create(client) as ConnectorClient;
  Object.defineProperty(lean, 'conversations', { value: conversations, enumerable: true });
  return lean;
}

async function send(url: string, body: string, credentials: Credentials, options: LeanSendOptions): Promise<ResourceResponse> {
  const retryDelayMs = options.retryDelayMs ?? 1000;
  for (let retry = 0; ; retry++) {
    let outcome: { status: number; retryAfter: string | undefined; text: string };
    try {
      const response = await request(url, { method: 'POST', headers: await signedHeaders(url, credentials), body, dispatcher: options.dispatcher });
      const retryAfter = response.headers['retry-after'];
      outcome = { status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, text: await response.body.text() };
    } catch (error) {
      if (retry < MAX_RETRIES && RETRIED_ERRORS.has((error as { code?: string }).code ?? '')) {
        await sleep(backoff(retry, retryDelayMs));
        continue;
      }
      throw error;
    }
    if (outcome.status < 300) return resourceResponse(outcome.text);
    const wait = retryAfterMs(outcome.status, outcome.retryAfter) ?? (retriedStatus(outcome.status) ? backoff(retry, retryDelayMs) : undefined);
    if (wait === undefined || retry >= MAX_RETRIES) throw refused(url, outcome.status, outcome.text);
    await sleep(wait);
  }
}

/** The headers of one attempt: JSON, and whatever the credentials add (the bearer token; nothing when auth is off). */
async function signedHeaders(url: string, credentials: Credentials): Promise<Record<string, string>> {
  const headers: Record<string, string> = Object.create(null);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers.accept = '*/*';
  headers['user-agent'] = USER_AGENT;
  // The interface credentials sign through (botframework-connector's WebResourceLike): they set headers on it.
  const resource = {
    url,
    method: 'POST',
    headers: {
      set: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
      get: (name: string) => headers[name.toLowerCase()],
      contains: (name: string) => name.toLowerCase() in headers,
    },
  };
  await credentials.signRequest(resource);
  return headers;
}

/** The channel's answer to a sent activity: the id it gave it (an empty or non-JSON body gives none). */
function resourceResponse(text: string): ResourceResponse {
  try {
    const parsed = JSON.parse(text) as unknown;
    const id = (parsed as ResourceResponse | null)?.id;
    return typeof id === 'string' ? { id } : {};
  } catch {
    return {};
  }
}

function refused(url: string, status: number, text: string): ChannelRequestError {
  let code: string | undefined;
  let detail = text.slice(0, 200);
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string') detail = error.message;
  } catch {
    // Not JSON: the start of the body says what there is to say.
  }
  return new ChannelRequestError(status, code, `the channel answered ${status}${code ? ` ${code}` : ''} to POST ${new URL(url).pathname}: ${detail}`);
}

/** Retry-After (seconds or an HTTP date) on a 429 or 503, as the connector client reads it. */
function retryAfterMs(status: number, header: string | undefined): number | undefined {
  if ((status !== 429 && status !== 503) || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** 2^retry × the first delay, the second half of it random (the connector client's jitter). */
function backoff(retry: number, firstMs: number): number {
  const full = Math.min(64_000, firstMs * 2 ** retry);
  return full / 2 + Math.random() * (full / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
