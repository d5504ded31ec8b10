import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../log';
import { HttpError } from '../server/http-error';
import { routeHandler } from '../server/route-handler';
import { assetType, HTML, serveStaticFile } from '../web/static-file';
import type { AgentAccount } from './agent-accounts';
import type { AgentAuth } from './agent-auth';
import { cookie, SESSION_COOKIE, sessionCookies } from './agent-auth';
import { verifyPassword } from './agent-accounts';
import type { AgentSessions } from './agent-sessions';
import { SESSION_HOURS } from './agent-sessions';
import { HandoffConflictError, HandoffForbiddenError, HandoffNotFoundError } from './errors';
import type { LoginThrottle } from './login-throttle';
import type { AgentDeskService, AgentIdentity, HandoffFeedEvent } from './types';

export interface SessionRoutesOptions {
  /** The console's accounts by name (Map: names are user input). */
  accounts: ReadonlyMap<string, AgentAccount>;
  sessions: AgentSessions;
  auth: AgentAuth;
  throttle: LoginThrottle;
  /** PUBLIC_URL, or empty: whether the cookie is Secure. */
  publicUrl: string;
  log: Logger;
}

export interface AgentRoutesOptions {
  desk: AgentDeskService;
  accounts: ReadonlyMap<string, AgentAccount>;
  sessions: AgentSessions;
  auth: AgentAuth;
  /** Where the console page's files are (index.html and its assets). */
  pageDir: string;
  log: Logger;
  /** How often the event stream sends a comment to keep proxies from closing it. */
  pingMs?: number;
}

const MAX_TEXT = 4000;
const HANDOFF_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Sign-in, sign-out and "who am I" (/agent/api/session, /agent/api/me): the
 * one session both the console and the insights (/admin) use, so these stay
 * on when an external desk turns the console off.
 */
export function registerSessionRoutes(server: Server, options: SessionRoutesOptions): void {
  const { accounts, sessions, auth, throttle, publicUrl, log } = options;
  const { agentOf, csrf } = auth;
  const route = routeHandler(log);

  // --- sign-in ---
  server.post(
    '/agent/api/session',
    route('/agent/api/session', async (req, res) => {
      csrf(req);
      const { name, password } = (req.body ?? {}) as { name?: unknown; password?: unknown };
      if (typeof name !== 'string' || typeof password !== 'string' || name.length > 64 || password.length > 1024) throw new HttpError('BAD_AGENT_REQUEST');
      if (accounts.size === 0) throw new HttpError('AGENT_LOGIN_FAILED', 'No agent accounts are configured: set AGENT_ACCOUNTS (see the README).');
      const address = req.socket.remoteAddress ?? '';
      const wait = await throttle.retryAfter(address, name);
      if (wait > 0) throw new HttpError('AGENT_LOGIN_THROTTLED', undefined, { retryAfterSeconds: wait });
      const account = accounts.get(name);
      // A missing account costs a hash too, so timing does not tell which names exist.
      const ok = await verifyPassword(password, account?.hash ?? DUMMY_HASH);
      if (!account || !ok) {
        await throttle.failed(address, name);
        log.warn('agent sign-in failed', { name: name.slice(0, 64), address });
        throw new HttpError('AGENT_LOGIN_FAILED');
      }
      await throttle.succeeded(address, name);
      const session = await sessions.create(account);
      res.setHeader('Set-Cookie', sessionCookies(req, publicUrl, session.id, SESSION_HOURS * 3600));
      res.header('Cache-Control', 'no-store');
      log.info('agent signed in', { agent: account.name });
      res.send(200, { agent: { id: `console:${account.name}`, name: account.name, role: account.role } });
    }),
  );

  server.del(
    '/agent/api/session',
    route('/agent/api/session', async (req, res) => {
      csrf(req);
      const id = cookie(req, SESSION_COOKIE);
      if (id) await sessions.end(id);
      res.setHeader('Set-Cookie', sessionCookies(req, publicUrl, '', 0));
      res.writeHead(204);
      res.end();
    }),
  );

  server.get(
    '/agent/api/me',
    route('/agent/api/me', async (req, res) => {
      let agent: AgentIdentity;
      try {
        agent = await agentOf(req);
      } catch (error) {
        if (!(error instanceof HttpError) || (error.code !== 'AGENT_UNAUTHENTICATED' && error.code !== 'AGENT_FORBIDDEN')) throw error;
        // The page shows "no accounts configured" instead of a sign-in form that cannot work.
        return void res.send(error.status, { ...error.toBody(), accountsConfigured: accounts.size > 0 });
      }
      res.send(200, { agent: { id: agent.id, name: agent.name, role: agent.role } });
    }),
  );
}

/**
 * The agent console: its page (/agent, /agent/assets/*) and its JSON API
 * (/agent/api/*; sign-in is registerSessionRoutes'). Every API call needs a session; every non-GET
 * call must carry `X-Agent-Console: 1` from this server's own origin (CSRF);
 * an agent sees and acts on waiting hand-offs and on the ones they hold.
 */
export function registerAgentRoutes(server: Server, options: AgentRoutesOptions): void {
  const { desk, accounts, sessions, auth, pageDir, log } = options;
  const { agentOf, csrf } = auth;
  const handle = routeHandler(log);
  const route = (name: string, fn: (req: Request, res: Response) => Promise<void>) => handle(name, (req, res) => deskErrors(() => fn(req, res)));
  const handoffId = (req: Request): string => {
    const id = String((req.params as Record<string, unknown> | undefined)?.id ?? '');
    if (!HANDOFF_ID.test(id)) throw new HttpError('HANDOFF_NOT_FOUND');
    return id;
  };

  // --- the page ---
  server.get('/agent', handle('/agent', async (_req, res) => serveStaticFile(res, join(pageDir, 'index.html'), HTML)));
  server.get(
    '/agent/assets/:file',
    handle('/agent/assets', async (req, res) => {
      const file = String((req.params as Record<string, unknown>).file ?? '');
      serveStaticFile(res, join(pageDir, file), assetType(file));
    }),
  );

  // --- the queue and the hand-offs ---
  server.get(
    '/agent/api/queue',
    route('/agent/api/queue', async (req, res) => {
      const agent = await agentOf(req);
      const [waiting, mine, left] = await Promise.all([desk.waiting(), desk.mine(agent.id), desk.leftMessages()]);
      res.send(200, { waiting, mine, left });
    }),
  );

  server.get(
    '/agent/api/events',
    route('/agent/api/events', async (req, res) => {
      const agent = await agentOf(req);
      const sessionId = cookie(req, SESSION_COOKIE)!;
      const waiting = await desk.waiting();
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      const write = (event: HandoffFeedEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      write({ type: 'queue', waiting });
      // Events are written in the order they came, each after its own visibility check (a store read).
      let written = Promise.resolve();
      const unsubscribe = desk.subscribe((event) => {
        written = written
          .then(async () => {
            if (await visibleTo(event, agent, desk)) write(event);
          })
          .catch((error: unknown) => log.warn('agent event stream: an event was not sent', { error: String(error) }));
      });
      const ping = setInterval(() => {
        // A session that ended (signed out, expired) ends its stream.
        sessions.lookup(sessionId, accounts).then(
          (found) => (found.kind !== 'valid' ? void res.end() : void res.write(': ping\n\n')),
          () => void res.write(': ping\n\n'),
        );
      }, options.pingMs ?? 20_000);
      ping.unref();
      const stop = () => {
        clearInterval(ping);
        unsubscribe();
      };
      req.on('close', stop);
      res.on('close', stop);
    }),
  );

  server.get(
    '/agent/api/handoffs/:id',
    route('/agent/api/handoffs/:id', async (req, res) => {
      const agent = await agentOf(req);
      const detail = await desk.get(handoffId(req));
      if (!detail) throw new HttpError('HANDOFF_NOT_FOUND');
      if (detail.state === 'active' && detail.agent?.id !== agent.id) throw new HttpError('AGENT_FORBIDDEN');
      res.header('Cache-Control', 'no-store');
      res.send(200, detail);
    }),
  );

  const action = (path: string, act: (id: string, agent: AgentIdentity, req: Request) => Promise<unknown>) =>
    server.post(
      path,
      route(path, async (req, res) => {
        csrf(req);
        const agent = await agentOf(req);
        const result = await act(handoffId(req), agent, req);
        if (result === undefined) {
          res.writeHead(204);
          res.end();
        } else res.send(200, result);
      }),
    );
  action('/agent/api/handoffs/:id/accept', (id, agent) => desk.accept(id, agent));
  action('/agent/api/handoffs/:id/messages', async (id, agent, req) => void (await desk.sendToUser(id, agent, textOf(req))));
  action('/agent/api/handoffs/:id/typing', async (id, agent) => void (await desk.typing(id, agent)));
  action('/agent/api/handoffs/:id/end', async (id, agent) => void (await desk.end(id, agent)));
  action('/agent/api/handoffs/:id/notes', async (id, agent, req) => void (await desk.addNote(id, agent, textOf(req))));
}

/** A scrypt string that matches no password anyone can type (its hash is of random bytes). */
const DUMMY_HASH = `scrypt$${'0'.repeat(32)}$${'0'.repeat(128)}`;

function textOf(req: Request): string {
  const text = (req.body as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT) throw new HttpError('BAD_AGENT_REQUEST');
  return text;
}

/** The desk's errors in the catalogue's words. */
async function deskErrors(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof HandoffNotFoundError) throw new HttpError('HANDOFF_NOT_FOUND', undefined, { cause: error });
    if (error instanceof HandoffConflictError) throw new HttpError('HANDOFF_CONFLICT', undefined, { cause: error });
    if (error instanceof HandoffForbiddenError) throw new HttpError('AGENT_FORBIDDEN', undefined, { cause: error });
    throw error;
  }
}

/** Another agent's conversation stays theirs: its messages and typing are not streamed to others. */
async function visibleTo(event: HandoffFeedEvent, agent: AgentIdentity, desk: AgentDeskService): Promise<boolean> {
  if (event.type !== 'message' && event.type !== 'typing') return true;
  const view = await desk.get(event.handoffId);
  return !!view && (view.state !== 'active' || view.agent?.id === agent.id);
}
