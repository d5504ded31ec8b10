import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AgentAccount } from './agent-accounts';
import type { AgentIdentity } from './types';

/** A console session lasts this long from sign-in. */
export const SESSION_HOURS = 12;

export type SessionLookup = { kind: 'valid'; agent: AgentIdentity } | { kind: 'expired' } | { kind: 'unknown' };

/**
 * Console sessions, server side, in the bot's SQLite database (a restart
 * keeps agents signed in). The cookie carries 32 random bytes; only their
 * SHA-256 is stored, so a copy of the database signs no one in.
 */
export class AgentSessions {
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

  /** A new session id for the account (the cookie's value) and when it expires. */
  create(account: Pick<AgentAccount, 'name' | 'role'>): { id: string; expiresAt: number } {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + SESSION_HOURS * 3600_000;
    this.db.prepare('DELETE FROM agent_sessions WHERE expires_at < ?').run(this.now() - 86400_000);
    this.db.prepare('INSERT INTO agent_sessions (id_hash, agent_name, role, expires_at) VALUES (?, ?, ?, ?)').run(digest(id), account.name, account.role, expiresAt);
    return { id, expiresAt };
  }

  /** Who the session id belongs to; `known` lists the accounts that still exist (a removed account's sessions end). */
  lookup(id: string, known: ReadonlyMap<string, AgentAccount>): SessionLookup {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return { kind: 'unknown' };
    const row = this.db.prepare<[string], { agent_name: string; role: string; expires_at: number }>('SELECT agent_name, role, expires_at FROM agent_sessions WHERE id_hash = ?').get(digest(id));
    if (!row) return { kind: 'unknown' };
    const account = known.get(row.agent_name);
    if (!account) return { kind: 'unknown' };
    if (row.expires_at <= this.now()) return { kind: 'expired' };
    return { kind: 'valid', agent: { id: `console:${account.name}`, name: account.name, role: account.role, via: 'console' } };
  }

  end(id: string): void {
    this.db.prepare('DELETE FROM agent_sessions WHERE id_hash = ?').run(digest(id));
  }
}

function digest(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
