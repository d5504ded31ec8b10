import type Database from 'better-sqlite3';
import { preparedStatements } from '../storage/statements';
import { TickWrites } from '../storage/tick-writes';
import { checkScore, IN_PROGRESS_KINDS, nowIso, storedReadings, storedText } from './insights-store';
import type { CsatAnswer, CsatRow, InboxItem, InboxReason, InboxStatus, InsightEvent, InsightsStore, Period, StoredEvent } from './insights-store';

interface InboxRow {
  id: number;
  conversation: string;
  at: string;
  text: string;
  reason: InboxReason;
  readings: string;
  status: InboxStatus;
  label: string | null;
  labelled_by: string | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS insight_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    fix          TEXT,
    step         TEXT
  );
  CREATE INDEX IF NOT EXISTS insight_events_at ON insight_events (at);
  CREATE INDEX IF NOT EXISTS insight_events_conversation ON insight_events (conversation, id);
  CREATE TABLE IF NOT EXISTS insight_csat (
    conversation TEXT PRIMARY KEY NOT NULL,
    at           TEXT NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment      TEXT,
    after        TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS insight_inbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL,
    at           TEXT NOT NULL,
    text         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    readings     TEXT NOT NULL CHECK (json_valid(readings)),
    status       TEXT NOT NULL DEFAULT 'open',
    label        TEXT,
    labelled_by  TEXT
  );
  CREATE INDEX IF NOT EXISTS insight_inbox_status ON insight_inbox (status, id);
  CREATE TABLE IF NOT EXISTS insight_csat_asked (
    conversation TEXT PRIMARY KEY NOT NULL,
    at           TEXT NOT NULL,
    claimed_by   TEXT
  );
`;

/** Columns added after a table was first made: a database from an earlier version gets them at start. */
const ADDED_COLUMNS: ReadonlyArray<[table: string, column: string, type: string]> = [['insight_csat_asked', 'claimed_by', 'TEXT']];

function addMissingColumns(db: Database.Database): void {
  for (const [table, column, type] of ADDED_COLUMNS) {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
}

/**
 * The insights in the bot's embedded SQLite database (tables beside the
 * state). Events, the bulk of what turns record, join the database's writes
 * of the tick (TickWrites); every other statement writes them first.
 */
export class SqliteInsightsStore implements InsightsStore {
  private readonly sql: ReturnType<typeof preparedStatements>;
  private readonly insertEvent: Database.Statement<[string, string, string, string | null, string | null]>;

  /** `writes`: the database's batch of writes per tick, shared with the other stores on it (one of its own by default). */
  constructor(
    private readonly db: Database.Database,
    private readonly writes: TickWrites = new TickWrites(db),
  ) {
    db.exec(SCHEMA);
    addMissingColumns(db);
    const prepared = preparedStatements(db);
    this.sql = <P extends unknown[] = unknown[], R = unknown>(text: string) => {
      writes.flush();
      return prepared<P, R>(text);
    };
    this.insertEvent = db.prepare('INSERT INTO insight_events (conversation, at, kind, fix, step) VALUES (?, ?, ?, ?, ?)');
  }

  async record(event: InsightEvent): Promise<void> {
    const row = [event.conversation, event.at ?? nowIso(), event.kind, event.fix ?? null, event.step ?? null] as const;
    await this.writes.add(() => this.insertEvent.run(...row));
  }

  async events(conversation: string): Promise<StoredEvent[]> {
    return this.sql<[string], StoredEvent>('SELECT id, conversation, at, kind, fix, step FROM insight_events WHERE conversation = ? ORDER BY id')
      .all(conversation);
  }

  /** Events in a period, oldest first. */
  async eventsIn(period: Period): Promise<StoredEvent[]> {
    return this.sql<[string, string], StoredEvent>('SELECT id, conversation, at, kind, fix, step FROM insight_events WHERE at >= ? AND at < ? ORDER BY id')
      .all(period.since, period.until);
  }

  /** True when this conversation has already been asked for (and given or skipped) a rating. */
  async hasCsat(conversation: string): Promise<boolean> {
    return this.sql<[string], { n: number }>('SELECT COUNT(*) AS n FROM insight_csat WHERE conversation = ?').get(conversation)!.n > 0;
  }

  async claimCsatQuestion(conversation: string, { by, at = nowIso() }: { by?: string; at?: string } = {}): Promise<boolean> {
    if (this.sql('INSERT OR IGNORE INTO insight_csat_asked (conversation, at, claimed_by) VALUES (?, ?, ?)').run(conversation, at, by ?? null).changes === 1) return true;
    if (by === undefined) return false;
    const claimant = this.sql<[string], { claimed_by: string | null }>('SELECT claimed_by FROM insight_csat_asked WHERE conversation = ?').get(conversation);
    return claimant?.claimed_by === by;
  }

  /** One rating per conversation: a second one is ignored (returns false). */
  async recordCsat(answer: CsatAnswer): Promise<boolean> {
    checkScore(answer.score);
    const result = this.sql('INSERT OR IGNORE INTO insight_csat (conversation, at, score, comment, after) VALUES (?, ?, ?, ?, ?)')
      .run(answer.conversation, answer.at ?? nowIso(), answer.score, answer.comment ? storedText(answer.comment) : null, answer.after);
    return result.changes === 1;
  }

  /** Adds a comment to the rating already given in this conversation. */
  async commentCsat(conversation: string, comment: string): Promise<void> {
    this.sql('UPDATE insight_csat SET comment = ? WHERE conversation = ?').run(storedText(comment), conversation);
  }

  async csatIn(period: Period): Promise<CsatRow[]> {
    return this.sql<[string, string], CsatRow>(
        'SELECT conversation, at, score, comment, after FROM insight_csat WHERE at >= ? AND at < ? ORDER BY at',
      )
      .all(period.since, period.until);
  }

  /** A message the bot understood poorly, stored redacted with its readings for a reviewer. */
  async addToInbox(item: { conversation: string; text: string; reason: InboxReason; readings: InboxItem['readings']; at?: string }): Promise<void> {
    this.sql('INSERT INTO insight_inbox (conversation, at, text, reason, readings) VALUES (?, ?, ?, ?, ?)')
      .run(item.conversation, item.at ?? nowIso(), storedText(item.text), item.reason, JSON.stringify(storedReadings(item.readings)));
  }

  /**
   * The conversation's last message the bot fell back on (within `withinMs`)
   * was followed by one it understood: it is marked `rephrased`, with the
   * readings of the rephrasing as the reviewer's hint. Returns whether one was found.
   */
  async markRephrased(conversation: string, readings: InboxItem['readings'], withinMs = 15 * 60_000, now = Date.now()): Promise<boolean> {
    const since = new Date(now - withinMs).toISOString();
    return (
      this.sql(
          `UPDATE insight_inbox SET reason = 'rephrased', readings = ?
           WHERE id = (SELECT id FROM insight_inbox WHERE conversation = ? AND reason = 'fallback' AND status = 'open' AND at >= ? ORDER BY id DESC LIMIT 1)`,
        )
        .run(JSON.stringify(storedReadings(readings)), conversation, since).changes === 1
    );
  }

  async inbox(status: InboxStatus, limit = 200): Promise<InboxItem[]> {
    return this.sql<[string, number], InboxRow>('SELECT * FROM insight_inbox WHERE status = ? ORDER BY id DESC LIMIT ?')
      .all(status, limit)
      .map(fromInboxRow);
  }

  async inboxItem(id: number): Promise<InboxItem | undefined> {
    const row = this.sql<[number], InboxRow>('SELECT * FROM insight_inbox WHERE id = ?').get(id);
    return row && fromInboxRow(row);
  }

  /** A reviewer's verdict: the intent the message meant (or `none`), or dismissed. Returns false for an unknown item. */
  async review(id: number, verdict: { label: string; by: string } | 'dismiss'): Promise<boolean> {
    const result =
      verdict === 'dismiss'
        ? this.sql("UPDATE insight_inbox SET status = 'dismissed' WHERE id = ? AND status IN ('open', 'labelled')").run(id)
        : this.sql("UPDATE insight_inbox SET status = 'labelled', label = ?, labelled_by = ? WHERE id = ? AND status IN ('open', 'labelled')")
            .run(verdict.label, verdict.by, id);
    return result.changes === 1;
  }

  async markImported(ids: readonly number[]): Promise<void> {
    const mark = this.sql("UPDATE insight_inbox SET status = 'imported' WHERE id = ?");
    this.db.transaction(() => ids.forEach((id) => mark.run(id)))();
  }

  /**
   * Conversations whose last event, older than `idleSince`, left them inside
   * a fix get an `abandoned` outcome at the fix and step they stopped at.
   * Only conversations with an event since `activeSince` are looked at (the
   * previous pass's `idleSince`: older ones were looked at then), so a pass
   * every minute reads the recent events, not the whole retention period.
   * Returns how many were marked.
   */
  async markAbandoned(idleSince: string, at: string = nowIso(), activeSince = ''): Promise<number> {
    const kinds = IN_PROGRESS_KINDS.map(() => '?').join(', ');
    return this.sql(
        `INSERT INTO insight_events (conversation, at, kind, fix, step)
         SELECT last.conversation, ?, 'abandoned', last.fix, last.step
         FROM (SELECT conversation, MAX(id) AS id FROM insight_events
               WHERE conversation IN (SELECT DISTINCT conversation FROM insight_events WHERE at >= ?)
               GROUP BY conversation) latest
         JOIN insight_events last ON last.id = latest.id
         WHERE last.at < ? AND last.kind IN (${kinds})`,
      )
      .run(at, activeSince, idleSince, ...IN_PROGRESS_KINDS).changes;
  }

  /** Retention: deletes events, ratings and inbox items older than `before`. Returns rows deleted. */
  async deleteOlderThan(before: string): Promise<number> {
    return this.db.transaction(() => {
      let n = 0;
      for (const table of ['insight_events', 'insight_csat', 'insight_inbox']) {
        n += this.sql(`DELETE FROM ${table} WHERE at < ?`).run(before).changes;
      }
      this.sql('DELETE FROM insight_csat_asked WHERE at < ?').run(before);
      return n;
    })();
  }

  /** "Delete my data": the messages this conversation left here (inbox texts, rating comments). */
  async deleteConversationText(conversation: string): Promise<number> {
    return this.db.transaction(() => {
      const inbox = this.sql('DELETE FROM insight_inbox WHERE conversation = ?').run(conversation).changes;
      const comments = this.sql('UPDATE insight_csat SET comment = NULL WHERE conversation = ? AND comment IS NOT NULL').run(conversation).changes;
      return inbox + comments;
    })();
  }
}

function fromInboxRow(row: InboxRow): InboxItem {
  return {
    id: row.id,
    conversation: row.conversation,
    at: row.at,
    text: row.text,
    reason: row.reason,
    readings: JSON.parse(row.readings) as InboxItem['readings'],
    status: row.status,
    label: row.label,
    labelledBy: row.labelled_by,
  };
}
