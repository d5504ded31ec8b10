import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Logger } from '../../log';
import { HttpError } from '../../server/http-error';
import type { DirectLineService } from './directline-service';
import type { Listener } from './directline-store';
import { DIRECT_LINE_PATH } from './directline-routes';
import { RetryLaterError } from './retry-later-error';
import { STREAM_CLOSE } from './stream-close';

export interface StreamOptions {
  service: DirectLineService;
  log: Logger;
  /** Server pings this often; a socket that misses one is dropped (phones sleep, proxies cut silently). */
  heartbeatMs?: number;
  /** How long close() waits for a client to answer the close handshake before cutting the socket. */
  closeGraceMs?: number;
}

export interface StreamHandle {
  /** Closes every stream with 1012 Service Restart (clients reconnect) and stops taking upgrades. */
  close(): Promise<void>;
  connections(): number;
}

const STREAM = new RegExp(`^${DIRECT_LINE_PATH}/conversations/([^/?]+)/stream$`);

/**
 * The WebSocket `streamUrl`: one `{activities, watermark}` frame per
 * activity, after replaying what the client missed since its watermark.
 * Clients only listen (directlinejs sends empty keep-alives, ignored).
 */
export function attachStream(httpServer: Server, { service, log, heartbeatMs = 30_000, closeGraceMs = 2_000 }: StreamOptions): StreamHandle {
  if (!httpServer || typeof httpServer.on !== 'function') throw new Error('attachStream needs an http server');
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'Not Found');
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(match[1]!);
    } catch {
      return refuse(socket, 400, 'Bad Request'); // a malformed %-escape in the path
    }
    const token = url.searchParams.get('t') ?? /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    let pending: Listener | undefined;
    const queued: Array<Parameters<Listener>[0]> = [];
    let unsubscribe: (() => void) | undefined;
    let gone = false;
    socket.once('close', () => {
      gone = true;
      unsubscribe?.();
    });
    // Subscribed before the handshake completes so nothing posted meanwhile is lost; frames wait in `queued`.
    service.openStream(token, conversationId, url.searchParams.get('watermark') ?? undefined, (set) => (pending ? pending(set) : queued.push(set))).then(
      (unsubscribeNow) => {
        unsubscribe = unsubscribeNow;
        if (gone) return unsubscribe();
        wss.handleUpgrade(req, socket, head, (ws) => {
          alive.add(ws);
          pending = (set) => {
            if (set === null) return ws.close(STREAM_CLOSE.expired.code, STREAM_CLOSE.expired.reason);
            if (set.activities.length > 0 && ws.readyState === ws.OPEN) ws.send(JSON.stringify(set));
          };
          for (const set of queued.splice(0)) pending(set);
          ws.on('pong', () => alive.add(ws));
          ws.on('error', () => ws.terminate());
        });
      },
      (error: unknown) => {
        const known = error instanceof HttpError ? error : undefined;
        if (!known) log.error('direct line stream failed', { conversationId, channelId: 'directline', error: String(error) });
        const retryAfter = error instanceof RetryLaterError ? error.retryAfterSeconds : undefined;
        refuse(socket, known?.status ?? 500, known?.code ?? 'Error', retryAfter);
      },
    );
  };
  httpServer.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    async close() {
      clearInterval(heartbeat);
      httpServer.off('upgrade', onUpgrade);
      const { code, reason } = STREAM_CLOSE.restart;
      await Promise.all([...wss.clients].map((ws) => closeWithin(ws, code, reason, closeGraceMs)));
      wss.close();
    },
    connections: () => wss.clients.size,
  };
}

/** Starts the close handshake; a client that doesn't answer within `graceMs` is cut off. */
function closeWithin(ws: WebSocket, code: number, reason: string, graceMs: number): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), graceMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(code, reason);
  });
}

function refuse(socket: Duplex, status: number, reason: string, retryAfterSeconds?: number): void {
  const retry = retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${retry}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}
