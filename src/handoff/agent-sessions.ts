import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AgentAccount } from './agent-accounts';
import type { AgentIdentity } from './types';

/** A console session lasts this long from sign-in. */
export const SESSION_HOURS = 12;
/** An expired session is still told apart from an unknown one for this long ("expired, sign in again"). */
export const EXPIRED_KEPT_MS = 86400_000;

export type SessionLookup = { kind: 'valid'; agent: AgentIdentity } | { kind: 'expired' } | { kind: 'unknown' };

/**
 * Console sessions, server side. The cookie carries 32 random bytes; only
 * their SHA-256 is stored, so a copy of the store signs no one in. In the
 * bot's SQLite database (a restart keeps agents signed in) or in Redis (a
 * session made on one instance works on all); both pass
 * test/handoff/handoff-store-contract.ts's session contract.
 */
export interface AgentSessions {
  /** A new session id for the account (the cookie's value) and when it expires. */
  create(account: Pick<AgentAccount, 'name' | 'role'>): Promise<{ id: string; expiresAt: number }>;
  /** Who the session id belongs to; `known` lists the accounts that still exist (a removed account's sessions end). */
  lookup(id: string, known: ReadonlyMap<string, AgentAccount>): Promise<SessionLookup>;
  end(id: string): Promise<void>;
}

/** What a store keeps of a session. */
export interface StoredSession {
  agentName: string;
  expiresAt: number;
}

/** A new session's cookie value, its stored key and its expiry. */
export function newSession(now: number): { id: string; hash: string; expiresAt: number } {
  const id = randomBytes(32).toString('base64url');
  return { id, hash: sessionDigest(id), expiresAt: now + SESSION_HOURS * 3600_000 };
}

/** Cookie values that cannot be a session are refused before any look-up. */
export function wellFormedSessionId(id: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(id);
}

export function sessionDigest(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** The look-up's answer for a stored session (or none): the account must still exist and the session not be expired. */
export function sessionLookup(stored: StoredSession | undefined, known: ReadonlyMap<string, AgentAccount>, now: number): SessionLookup {
  if (!stored) return { kind: 'unknown' };
  const account = known.get(stored.agentName);
  if (!account) return { kind: 'unknown' };
  if (stored.expiresAt <= now) return { kind: 'expired' };
  return { kind: 'valid', agent: { id: `console:${account.name}`, name: account.name, role: account.role, via: 'console' } };
}

/** Sessions in the bot's SQLite database (one instance). */
export class SqliteAgentSessions implements AgentSessions {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS agent_sessions (
      id_hash TEXT PRIMARY KEY NOT NULL,
      agent_name TEXT NOT NULL,
      role TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
  }

  async create(account: Pick<AgentAccount, 'name' | 'role'>): Promise<{ id: string; expiresAt: number }> {
    const { id, hash, expiresAt } = newSession(this.now());
    this.db.prepare('DELETE FROM agent_sessions WHERE expires_at < ?').run(this.now() - EXPIRED_KEPT_MS);
    this.db.prepare('INSERT INTO agent_sessions (id_hash, agent_name, role, expires_at) VALUES (?, ?, ?, ?)').run(hash, account.name, account.role, expiresAt);
    return { id, expiresAt };
  }

  async lookup(id: string, known: ReadonlyMap<string, AgentAccount>): Promise<SessionLookup> {
    if (!wellFormedSessionId(id)) return { kind: 'unknown' };
    const row = this.db.prepare<[string], { agent_name: string; expires_at: number }>('SELECT agent_name, expires_at FROM agent_sessions WHERE id_hash = ?').get(sessionDigest(id));
    return sessionLookup(row && { agentName: row.agent_name, expiresAt: row.expires_at }, known, this.now());
  }

  async end(id: string): Promise<void> {
    this.db.prepare('DELETE FROM agent_sessions WHERE id_hash = ?').run(sessionDigest(id));
  }
}
