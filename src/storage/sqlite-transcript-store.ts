import type Database from 'better-sqlite3';
import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder-core';
import { TickWrites } from './tick-writes';
import { reviveActivity as revive, TRANSCRIPT_PAGE as PAGE, transcriptLine } from './transcript-archive';
import type { TranscriptArchive } from './transcript-archive';

type Line = [channelId: string, conversationId: string, activityId: string, at: string, json: string];
interface ActivityRow {
  seq: number;
  json: string;
}

/**
 * botbuilder's `TranscriptStore` on the bot's SQLite database (the table
 * lives beside the state), so TranscriptLoggerMiddleware keeps every
 * conversation's activities across restarts. Continuation tokens are the
 * row sequence of the last item returned.
 *
 * Rows are written with the database's other writes of the same tick, in
 * one transaction (TickWrites), not one per activity. Every read and delete
 * writes what is pending first.
 */
export class SqliteTranscriptStore implements TranscriptArchive {
  private readonly insert: Database.Statement<Line>;

  /**
   * `writes`: the database's batch of writes per tick, shared with the other stores on it (one of its own by
   * default); `onError`: told about rows that could not be written (logActivity has returned by then).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly writes: TickWrites = new TickWrites(db),
    private readonly onError: (error: unknown) => void = (error) => console.error('SqliteTranscriptStore: a row was not written', error),
  ) {
    if (!db) throw new Error('SqliteTranscriptStore needs a database');
    db.exec(`CREATE TABLE IF NOT EXISTS transcript_activities (
      seq             INTEGER PRIMARY KEY AUTOINCREMENT,
      channel_id      TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      activity_id     TEXT NOT NULL,
      timestamp       TEXT NOT NULL,
      json            TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS transcript_by_conversation ON transcript_activities (channel_id, conversation_id, seq);
    -- Retention deletes by age every day and at start-up: without this it would read the whole table.
    CREATE INDEX IF NOT EXISTS transcript_by_time ON transcript_activities (timestamp);`);
    this.insert = db.prepare('INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, timestamp, json) VALUES (?, ?, ?, ?, ?)');
  }

  logActivity(activity: Activity): void {
    const line = transcriptLine(activity, 'SqliteTranscriptStore');
    if (!line) return;
    const row: Line = [line.channelId, line.conversationId, String(activity.id ?? ''), line.at, line.json];
    this.writes.add(() => this.insert.run(...row)).catch(this.onError);
  }

  /** Retention: deletes every activity older than `beforeIso`; returns how many. */
  async deleteOlderThan(beforeIso: string): Promise<number> {
    this.writes.flush();
    return this.db.prepare('DELETE FROM transcript_activities WHERE timestamp < ?').run(beforeIso).changes;
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    this.writes.flush();
    const after = Number(continuationToken ?? 0) || 0;
    const since = startDate ? startDate.toISOString() : '';
    const rows = this.db
      .prepare<[string, string, number, string], ActivityRow>(
        'SELECT seq, json FROM transcript_activities WHERE channel_id = ? AND conversation_id = ? AND seq > ? AND timestamp >= ? ORDER BY seq LIMIT ' + (PAGE + 1),
      )
      .all(channelId, conversationId, after, since);
    const page = rows.slice(0, PAGE);
    return { items: page.map((r) => revive(r.json)), continuationToken: rows.length > PAGE ? String(page[page.length - 1]!.seq) : '' };
  }

  async activities(conversationId: string): Promise<Activity[]> {
    this.writes.flush();
    return this.db
      .prepare<[string], ActivityRow>('SELECT seq, json FROM transcript_activities WHERE conversation_id = ? ORDER BY seq')
      .all(conversationId)
      .map((r) => revive(r.json));
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    this.writes.flush();
    const after = continuationToken ?? '';
    const rows = this.db
      .prepare<[string, string], { conversation_id: string; created: string }>(
        'SELECT conversation_id, MIN(timestamp) AS created FROM transcript_activities WHERE channel_id = ? AND conversation_id > ? GROUP BY conversation_id ORDER BY conversation_id LIMIT ' + (PAGE + 1),
      )
      .all(channelId, after);
    const page = rows.slice(0, PAGE);
    return {
      items: page.map((r) => ({ channelId, id: r.conversation_id, created: new Date(r.created) })),
      continuationToken: rows.length > PAGE ? page[page.length - 1]!.conversation_id : '',
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    this.writes.flush();
    this.db.prepare('DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?').run(channelId, conversationId);
  }
}
