import type { IncomingMessage } from 'node:http';
import { HttpError } from '../server/http-error';
import type { AgentAccount } from './agent-accounts';
import type { AgentSessions } from './agent-sessions';
import type { AgentIdentity } from './types';

/**
 * The console's sign-in as the pages behind it (/agent, /admin) check it: the
 * session cookie, and the CSRF rule for every call that changes something.
 */
export const SESSION_COOKIE = 'agent_session';

export interface AgentAuthOptions {
  /** The accounts by name (Map: names are user input); a removed account's sessions end. */
  accounts: ReadonlyMap<string, AgentAccount>;
  sessions: AgentSessions;
  /** PUBLIC_URL, or empty: this server's origin for the CSRF check. */
  publicUrl: string;
}

export interface AgentAuth {
  /** Who is signed in; 401 without (or with an expired) session, 403 for a session this server never issued. */
  agentOf(req: IncomingMessage): Promise<AgentIdentity>;
  /** Non-GET calls: `X-Agent-Console: 1`, not from another site, and an Origin (when sent) that is this server. */
  csrf(req: IncomingMessage): void;
}

export function createAgentAuth({ accounts, sessions, publicUrl }: AgentAuthOptions): AgentAuth {
  return {
    async agentOf(req) {
      const id = cookie(req, SESSION_COOKIE);
      if (!id) throw new HttpError('AGENT_UNAUTHENTICATED');
      const found = await sessions.lookup(id, accounts);
      if (found.kind === 'expired') throw new HttpError('AGENT_UNAUTHENTICATED', 'The session has expired.');
      if (found.kind === 'unknown') throw new HttpError('AGENT_FORBIDDEN');
      return found.agent;
    },
    csrf(req) {
      if (req.headers['x-agent-console'] !== '1') throw new HttpError('CSRF_REJECTED');
      const site = String(req.headers['sec-fetch-site'] ?? '').toLowerCase();
      if (site === 'cross-site' || site === 'same-site') throw new HttpError('CSRF_REJECTED');
      const origin = req.headers.origin;
      if (origin === undefined) return;
      const own = publicUrl ? [publicUrl.toLowerCase()] : [`http://${req.headers.host ?? ''}`, `https://${req.headers.host ?? ''}`].map((o) => o.toLowerCase());
      if (!own.includes(origin.toLowerCase())) throw new HttpError('CSRF_REJECTED');
    },
  };
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * The Set-Cookie values for a session (or, with an empty value and 0, for
 * none). Path=/: the same session opens the console (/agent) and the insights
 * (/admin). The second value expires the cookie earlier versions set on
 * Path=/agent, which browsers would otherwise send first, ahead of this one.
 */
export function sessionCookies(req: IncomingMessage, publicUrl: string, value: string, maxAge: number): string[] {
  const https = publicUrl.startsWith('https://') || (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
  const flags = `HttpOnly; SameSite=Strict${https ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${value}; Path=/; ${flags}; Max-Age=${maxAge}`, `${SESSION_COOKIE}=; Path=/agent; ${flags}; Max-Age=0`];
}
