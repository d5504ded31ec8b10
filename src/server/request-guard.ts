import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as legacyParse } from 'node:url';
import type { Logger } from '../log';
import { asHttpError, errorCodeOf, refuseSocket, sendError } from './error-boundary';
import { HttpError } from './http-error';

export interface RequestGuardOptions {
  log: Logger;
  /** While shutting down, every answer closes its connection so keep-alive clients move elsewhere. */
  draining: () => boolean;
  /** Told of every error answer, by catalogue code (or HTTP_<status> for answers written elsewhere). */
  countError?: (code: string, status: number) => void;
}

/**
 * The error boundary at the raw `http.Server`, beneath restify and every
 * other listener: a request target nothing can parse gets 400, anything a
 * 'request' or 'upgrade' listener throws synchronously gets 500 (logged),
 * and malformed HTTP gets an answer from the catalogue. None of it can reach
 * the process's uncaughtException.
 *
 * It wraps `emit` rather than individual listeners so that listeners added
 * later (the Direct Line WebSocket stream, tests) are covered too.
 */
export function guardHttpServer(server: Server, { log, draining, countError = () => undefined }: RequestGuardOptions): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  const refuse = (socket: Duplex, error: HttpError) => {
    countError(error.code, error.status);
    refuseSocket(socket, error);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (draining()) res.setHeader('Connection', 'close');
    res.once('finish', () => {
      if (res.statusCode >= 400) countError(errorCodeOf(res) ?? `HTTP_${res.statusCode}`, res.statusCode);
    });
    if (!isParseableTarget(req.url)) {
      sendError(res, new HttpError('BAD_REQUEST', 'The request target is not a valid URL.'), { close: true });
      return true;
    }
    try {
      return emit('request', req, res);
    } catch (error) {
      log.error('request listener threw', { method: req.method, error: String((error as Error)?.stack ?? error) });
      sendError(res, asHttpError(error), { close: true });
      return true;
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    socket.on('error', () => socket.destroy());
    if (draining()) {
      refuse(socket, new HttpError('NOT_READY'));
      return true;
    }
    if (!isParseableTarget(req.url)) {
      refuse(socket, new HttpError('BAD_REQUEST', 'The request target is not a valid URL.'));
      return true;
    }
    try {
      return emit('upgrade', req, socket, head);
    } catch (error) {
      log.error('upgrade listener threw', { error: String((error as Error)?.stack ?? error) });
      refuse(socket, asHttpError(error));
      return true;
    }
  };

  server.emit = function guardedEmit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') return onRequest(args[0] as IncomingMessage, args[1] as ServerResponse);
    if (event === 'upgrade') return onUpgrade(args[0] as IncomingMessage, args[1] as Duplex, args[2] as Buffer);
    return emit(event, ...args);
  } as Server['emit'];

  // Malformed HTTP never reaches a listener: answer it (Node's default is a bare 400) with our body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    const code =
      error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST';
    log.debug('malformed request', { code: error.code });
    // ECONNRESET and friends: the client is gone, nobody to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    refuse(socket, new HttpError(code));
  });
}

/** Whether both URL parsers in play (restify's legacy `url.parse`, WHATWG `URL`) accept the request target. */
export function isParseableTarget(target: string | undefined): boolean {
  if (!target) return false;
  try {
    legacyParse(target);
    new URL(target, 'http://localhost');
    return true;
  } catch {
    return false;
  }
}
