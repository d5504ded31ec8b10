import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { HttpError } from './http-error';
import type { ErrorCode } from './http-error';

/**
 * The one way an error becomes an answer, for routes, the body reader, the
 * raw HTTP server and WebSocket upgrades: a catalogue code and its message,
 * never the text of the exception (that is logged by the caller).
 */

/** What the response was answered with, for the metrics (`http_errors_total{code}`). */
const answeredCodes = new WeakMap<ServerResponse, ErrorCode>();

/** An HttpError as it is; anything else is an unexpected failure. */
export function asHttpError(error: unknown): HttpError {
  return error instanceof HttpError ? error : new HttpError('TURN_FAILED', undefined, { cause: error });
}

/** Records the code of an answer written by someone else (restify's own error responses). */
export function markAnswered(res: ServerResponse, code: ErrorCode): void {
  answeredCodes.set(res, code);
}

/** The code a response was answered with, if it was an error from the catalogue. */
export function errorCodeOf(res: ServerResponse): ErrorCode | undefined {
  return answeredCodes.get(res);
}

export interface SendErrorOptions {
  /** End the connection after the answer (the request body was not read to its end). */
  close?: boolean;
  headers?: Record<string, string>;
}

/** Answers `{error:{code,message}}`; if an answer had already begun, the connection is cut instead of finishing a lie. */
export function sendError(res: ServerResponse, error: HttpError, { close = false, headers = {} }: SendErrorOptions = {}): void {
  answeredCodes.set(res, error.code);
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = JSON.stringify(error.toBody());
  res.writeHead(error.status, {
    ...headers,
    ...(error.retryAfterSeconds !== undefined ? { 'Retry-After': String(error.retryAfterSeconds) } : {}),
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/** The same answer written straight onto a socket that has no response object (upgrades, unparseable requests). */
export function refuseSocket(socket: Duplex, error: HttpError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
