import type { IncomingMessage } from 'node:http';
import type { Next, Request, Response } from 'restify';
import { asHttpError, sendError } from './error-boundary';
import { HttpError } from './http-error';

/** Deeper than this is refused before parsing: no activity nests this far, and deep input costs stack. */
export const MAX_JSON_DEPTH = 64;

const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UTF8 = new Set(['utf-8', 'utf8']);

/** The bytes each request's JSON came from, for routes that must check a signature over them (webhooks). */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** The body exactly as received (before parsing), when the body reader read one. */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return rawBodies.get(req);
}

export interface JsonBodyOptions {
  /** Bodies over this many bytes get 413, checked on Content-Length first and counted while reading. */
  maxBytes: number;
}

/**
 * The server's only body reader (a restify `use` handler): JSON, UTF-8,
 * uncompressed, size- and depth-limited, into `req.body`. Nothing is ever
 * written to disk and nothing is inflated. A refusal answers from the error
 * catalogue; when the body was left unread the connection is closed.
 */
export function jsonBody({ maxBytes }: JsonBodyOptions) {
  if (!(maxBytes > 0)) throw new Error('jsonBody needs maxBytes > 0');
  return (req: Request, res: Response, next: Next): void => {
    const reading = { done: false };
    readJsonBody(req, maxBytes, reading).then(
      (body) => {
        req.body = body;
        next();
      },
      (error: unknown) => {
        sendError(res, asHttpError(error), { close: !reading.done });
        next(false);
      },
    );
  };
}

/** Reads and parses the body, or throws the HttpError that says why not. `undefined` when there is none. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number, reading = { done: false }): Promise<unknown> {
  if (NO_BODY_METHODS.has(req.method ?? '') || !hasBody(req)) {
    reading.done = true;
    return undefined;
  }
  assertJsonContentType(req.headers['content-type']);
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') throw new HttpError('UNSUPPORTED_CONTENT_ENCODING');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError('BODY_TOO_LARGE');

  const raw = await readAtMost(req, maxBytes);
  reading.done = true;
  if (raw.length === 0) return undefined;
  rawBodies.set(req, raw);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError('BAD_JSON', 'It is not valid UTF-8.');
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new HttpError('JSON_TOO_DEEP');
  try {
    // "__proto__" keys are dropped: harmless to JSON.parse, but not to code that later copies with assignment.
    // The reviver that drops them runs only for a text that could hold one (written plainly or with \u escapes):
    // a reviver makes JSON.parse several times slower, on every message.
    return mayHoldProto(text) ? JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)) : JSON.parse(text);
  } catch {
    throw new HttpError('BAD_JSON');
  }
}

const mayHoldProto = (text: string) => text.includes('__proto__') || text.includes('\\u');

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** `application/json`, optionally with `charset=utf-8`; nothing else (forms and multipart are how cross-site posts arrive). */
function assertJsonContentType(header: string | undefined): void {
  const [type, ...params] = (header ?? '').split(';');
  if (type!.trim().toLowerCase() !== 'application/json') throw new HttpError('UNSUPPORTED_MEDIA_TYPE');
  for (const param of params) {
    const [name, value = ''] = param.split('=');
    if (name!.trim().toLowerCase() === 'charset' && !UTF8.has(value.trim().replace(/^"|"$/g, '').toLowerCase())) {
      throw new HttpError('UNSUPPORTED_MEDIA_TYPE');
    }
  }
}

/** The body as bytes; stops reading and throws 413 as soon as it passes `maxBytes`. */
function readAtMost(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: HttpError) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(new HttpError('BODY_TOO_LARGE'));
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    // The client went away mid-body: nobody is left to answer, but the promise must settle.
    const onGone = () => finish(new HttpError('BAD_REQUEST', 'The request body ended early.'));
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/**
 * Whether JSON text nests `[`/`{` deeper than `max`, in one linear pass that
 * skips strings: JSON.parse and everything after it recurse per level.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if ((c === 0x7d || c === 0x5d) && depth > 0) depth--;
  }
  return false;
}
