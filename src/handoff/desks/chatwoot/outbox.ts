import type Database from 'better-sqlite3';

/** What the desk still has to do in Chatwoot for a hand-off, in order. */
export type OutboxKind = 'open' | 'incoming' | 'note' | 'resolve';

export interface OutboxItem {
  seq: number;
  handoffId: string;
  kind: OutboxKind;
  /** `open`: the HandoffRequest as JSON; `incoming` / `note`: the text; `resolve`: empty. */
  content: string;
  attempts: number;
}

export interface ChatwootLink {
  handoffId: string;
  contactId?: number;
  conversationId?: number;
}

/** Chatwoot may deliver a webhook twice (it retries on failure): message ids already relayed, newest kept (per process). */
const SEEN_MESSAGES = 1000;

/**
 * The Chatwoot side of each hand-off (its contact and conversation ids) and
 * an outbox of what still has to reach Chatwoot: a line the user wrote is
 * written here before any call, so an unreachable Chatwoot or a restart
 * loses nothing. In the bot's SQLite database (one instance) or in Redis
 * (several instances: any of them delivers, one at a time per hand-off, and
 * any of them can answer Chatwoot's webhook); both pass
 * test/handoff/desks/chatwoot-outbox-contract.ts.
 */
export interface ChatwootOutbox {
  add(handoffId: string, kind: OutboxKind, content: string): Promise<void>;
  /** The hand-off's undelivered items, oldest first. */
  pending(handoffId: string): Promise<OutboxItem[]>;
  /** Hand-offs with something undelivered, oldest first. */
  withPending(): Promise<string[]>;
  delivered(item: OutboxItem): Promise<void>;
  failed(item: OutboxItem, error: string): Promise<void>;
  link(handoffId: string): Promise<ChatwootLink>;
  setContact(handoffId: string, contactId: number): Promise<void>;
  setConversation(handoffId: string, conversationId: number): Promise<void>;
  /** The hand-off a Chatwoot conversation belongs to (the webhook names the conversation). */
  handoffFor(conversationId: number): Promise<string | undefined>;
  /**
   * Makes this process the one delivering the hand-off's items (waiting up to
   * `waitMs` while another holds them); resolves to the release, or undefined
   * if it could not.
   */
  hold(handoffId: string, waitMs: number): Promise<(() => Promise<void>) | undefined>;
  /** True the first time a Chatwoot message id is seen. */
  firstSight(messageId: number): Promise<boolean>;
}

/** The outbox in the bot's SQLite database; deliveries are already one at a time per hand-off in this process. */
export class SqliteChatwootOutbox implements ChatwootOutbox {
  private readonly seen = new Set<number>();

  constructor(private readonly db: Database.Database) {
    if (!db) throw new Error('ChatwootOutbox needs a database');
    db.exec(`CREATE TABLE IF NOT EXISTS chatwoot_links (
      handoff_id TEXT PRIMARY KEY NOT NULL,
      contact_id INTEGER,
      conversation_id INTEGER UNIQUE
    );
    CREATE TABLE IF NOT EXISTS chatwoot_outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      handoff_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      content TEXT NOT NULL,
      created_at TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT
    );
    CREATE INDEX IF NOT EXISTS chatwoot_outbox_by_handoff ON chatwoot_outbox (handoff_id, seq);`);
  }

  async add(handoffId: string, kind: OutboxKind, content: string): Promise<void> {
    this.db.prepare('INSERT INTO chatwoot_outbox (handoff_id, kind, content, created_at) VALUES (?, ?, ?, ?)').run(handoffId, kind, content, new Date().toISOString());
  }

  async pending(handoffId: string): Promise<OutboxItem[]> {
    return this.db
      .prepare<[string], { seq: number; handoff_id: string; kind: OutboxKind; content: string; attempts: number }>(
        'SELECT seq, handoff_id, kind, content, attempts FROM chatwoot_outbox WHERE handoff_id = ? ORDER BY seq',
      )
      .all(handoffId)
      .map((r) => ({ seq: r.seq, handoffId: r.handoff_id, kind: r.kind, content: r.content, attempts: r.attempts }));
  }

  async withPending(): Promise<string[]> {
    return this.db
      .prepare<[], { handoff_id: string }>('SELECT handoff_id FROM chatwoot_outbox GROUP BY handoff_id ORDER BY MIN(seq)')
      .all()
      .map((r) => r.handoff_id);
  }

  async delivered(item: OutboxItem): Promise<void> {
    this.db.prepare('DELETE FROM chatwoot_outbox WHERE seq = ?').run(item.seq);
  }

  async failed(item: OutboxItem, error: string): Promise<void> {
    this.db.prepare('UPDATE chatwoot_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?').run(error.slice(0, 500), item.seq);
  }

  async link(handoffId: string): Promise<ChatwootLink> {
    const row = this.db
      .prepare<[string], { contact_id: number | null; conversation_id: number | null }>('SELECT contact_id, conversation_id FROM chatwoot_links WHERE handoff_id = ?')
      .get(handoffId);
    return { handoffId, ...(row?.contact_id ? { contactId: row.contact_id } : {}), ...(row?.conversation_id ? { conversationId: row.conversation_id } : {}) };
  }

  async setContact(handoffId: string, contactId: number): Promise<void> {
    this.db
      .prepare('INSERT INTO chatwoot_links (handoff_id, contact_id) VALUES (?, ?) ON CONFLICT (handoff_id) DO UPDATE SET contact_id = excluded.contact_id')
      .run(handoffId, contactId);
  }

  async setConversation(handoffId: string, conversationId: number): Promise<void> {
    this.db
      .prepare('INSERT INTO chatwoot_links (handoff_id, conversation_id) VALUES (?, ?) ON CONFLICT (handoff_id) DO UPDATE SET conversation_id = excluded.conversation_id')
      .run(handoffId, conversationId);
  }

  async handoffFor(conversationId: number): Promise<string | undefined> {
    return this.db.prepare<[number], { handoff_id: string }>('SELECT handoff_id FROM chatwoot_links WHERE conversation_id = ?').get(conversationId)?.handoff_id;
  }

  async hold(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async firstSight(messageId: number): Promise<boolean> {
    if (this.seen.has(messageId)) return false;
    this.seen.add(messageId);
    if (this.seen.size > SEEN_MESSAGES) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}
