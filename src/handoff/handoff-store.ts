import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { redactStrings } from '../privacy/redact';
import { preparedStatements } from '../storage/statements';
import type { ConversationReference } from 'botbuilder-core';
import type { HandoffNote, HandoffState, HandoffSummary } from './types';

/** One hand-off as stored: what the desks and the bot share. */
export interface HandoffRecord {
  id: string;
  conversationId: string;
  channelId: string;
  userName: string;
  state: HandoffState;
  requestedAt: string;
  acceptedAt?: string;
  endedAt?: string;
  agentId?: string;
  agentName?: string;
  summary: HandoffSummary;
  /** Where the user is: proactive messages go through it (refreshed by every user message). */
  reference: Partial<ConversationReference>;
  leftMessage?: string;
  outcome?: string;
  /** The queue position the user was last told. */
  toldPosition?: number;
}

export const OPEN_STATES: readonly HandoffState[] = ['waiting', 'active'];

interface Row {
  id: string;
  conversation_id: string;
  channel_id: string;
  user_name: string;
  state: HandoffState;
  requested_at: string;
  accepted_at: string | null;
  ended_at: string | null;
  agent_id: string | null;
  agent_name: string | null;
  summary: string;
  reference: string;
  left_message: string | null;
  outcome: string | null;
  told_position: number | null;
}

/**
 * Hand-offs (with any message left for the agents), agents' notes and the audit log, in tables of
 * the bot's SQLite database: the queue survives a restart with the state.
 */
export class HandoffStore {
  private readonly sql: ReturnType<typeof preparedStatements>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!db) throw new Error('HandoffStore needs a database');
    this.sql = preparedStatements(db);
    db.exec(`CREATE TABLE IF NOT EXISTS handoffs (
      id TEXT PRIMARY KEY NOT NULL,
      conversation_id TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      state TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      accepted_at TEXT,
      ended_at TEXT,
      agent_id TEXT,
      agent_name TEXT,
      summary TEXT NOT NULL CHECK (json_valid(summary)),
      reference TEXT NOT NULL CHECK (json_valid(reference)),
      left_message TEXT,
      outcome TEXT,
      told_position INTEGER
    );
    CREATE INDEX IF NOT EXISTS handoffs_by_conversation ON handoffs (conversation_id, requested_at);
    CREATE INDEX IF NOT EXISTS handoffs_by_state ON handoffs (state, requested_at);
    CREATE TABLE IF NOT EXISTS handoff_notes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      handoff_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      text TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS handoff_audit (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      handoff_id TEXT NOT NULL,
      event TEXT NOT NULL,
      actor TEXT NOT NULL,
      at TEXT NOT NULL,
      detail TEXT
    );`);
  }

  create(fields: Pick<HandoffRecord, 'conversationId' | 'channelId' | 'userName' | 'summary' | 'reference'>): HandoffRecord {
    const record: HandoffRecord = { id: randomUUID(), state: 'waiting', requestedAt: this.now().toISOString(), ...fields };
    this.sql(
        `INSERT INTO handoffs (id, conversation_id, channel_id, user_name, state, requested_at, summary, reference)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(record.id, record.conversationId, record.channelId, record.userName, record.state, record.requestedAt, JSON.stringify(redactStrings(record.summary)), JSON.stringify(record.reference));
    this.audit(record.id, 'requested', 'user');
    return record;
  }

  /**
   * "delete my data": the conversation's hand-offs keep their states and times
   * (the audit) but lose what the user wrote: the message left for agents and
   * the summary's quotes (first message, last messages, typed step answers).
   * Returns how many hand-offs were changed.
   */
  forgetUserText(conversationId: string): number {
    const rows = this.sql<[string], Row>('SELECT * FROM handoffs WHERE conversation_id = ?').all(conversationId);
    const update = this.sql('UPDATE handoffs SET left_message = NULL, summary = ? WHERE id = ?');
    return this.db.transaction(() => {
      for (const row of rows) {
        const summary = JSON.parse(row.summary) as HandoffSummary;
        const forgotten: HandoffSummary = { ...summary, firstMessage: '', lastUserMessages: [], fixesTried: summary.fixesTried.map((f) => ({ ...f, steps: [] })) };
        update.run(JSON.stringify(forgotten), row.id);
      }
      return rows.length;
    })();
  }

  get(id: string): HandoffRecord | undefined {
    const row = this.sql<[string], Row>('SELECT * FROM handoffs WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  /** The conversation's hand-off in progress (waiting or active), if any. */
  openFor(conversationId: string): HandoffRecord | undefined {
    const row = this.sql<[string], Row>(`SELECT * FROM handoffs WHERE conversation_id = ? AND state IN ('waiting', 'active') ORDER BY requested_at DESC LIMIT 1`)
      .get(conversationId);
    return row && fromRow(row);
  }

  /** The conversation's latest hand-off, whatever its state. */
  latestFor(conversationId: string): HandoffRecord | undefined {
    const row = this.sql<[string], Row>('SELECT * FROM handoffs WHERE conversation_id = ? ORDER BY requested_at DESC, rowid DESC LIMIT 1').get(conversationId);
    return row && fromRow(row);
  }

  /** The queue, oldest first. */
  waiting(): HandoffRecord[] {
    return this.sql<[], Row>(`SELECT * FROM handoffs WHERE state = 'waiting' ORDER BY requested_at, rowid`).all().map(fromRow);
  }

  activeFor(agentId: string): HandoffRecord[] {
    return this.sql<[string], Row>(`SELECT * FROM handoffs WHERE state = 'active' AND agent_id = ? ORDER BY accepted_at`).all(agentId).map(fromRow);
  }

  withLeftMessages(): HandoffRecord[] {
    return this.sql<[], Row>('SELECT * FROM handoffs WHERE left_message IS NOT NULL ORDER BY requested_at DESC LIMIT 200').all().map(fromRow);
  }

  /**
   * Moves a hand-off to `state` only if it is in one of `from` (one UPDATE, so
   * two agents accepting at once cannot both win). True when it moved.
   */
  transition(id: string, from: readonly HandoffState[], state: HandoffState, patch: { agentId?: string; agentName?: string } = {}): boolean {
    const at = this.now().toISOString();
    const placeholders = from.map(() => '?').join(', ');
    const result = this.sql(
        `UPDATE handoffs SET state = ?,
           accepted_at = CASE WHEN ? = 'active' THEN ? ELSE accepted_at END,
           ended_at = CASE WHEN ? NOT IN ('waiting', 'active') THEN ? ELSE ended_at END,
           agent_id = COALESCE(?, agent_id), agent_name = COALESCE(?, agent_name)
         WHERE id = ? AND state IN (${placeholders})`,
      )
      .run(state, state, at, state, at, patch.agentId ?? null, patch.agentName ?? null, id, ...from);
    return result.changes === 1;
  }

  setReference(id: string, reference: Partial<ConversationReference>): void {
    this.sql('UPDATE handoffs SET reference = ? WHERE id = ?').run(JSON.stringify(reference), id);
  }

  setOutcome(id: string, outcome: string): void {
    this.sql('UPDATE handoffs SET outcome = ? WHERE id = ?').run(outcome, id);
  }

  setLeftMessage(id: string, text: string): void {
    this.sql('UPDATE handoffs SET left_message = ? WHERE id = ?').run(text, id);
  }

  setToldPosition(id: string, position: number): void {
    this.sql('UPDATE handoffs SET told_position = ? WHERE id = ?').run(position, id);
  }

  addNote(handoffId: string, note: HandoffNote): void {
    this.sql('INSERT INTO handoff_notes (handoff_id, agent, text, at) VALUES (?, ?, ?, ?)').run(handoffId, note.agent, note.text, note.at);
  }

  notes(handoffId: string): HandoffNote[] {
    return this.sql<[string], HandoffNote>('SELECT agent, text, at FROM handoff_notes WHERE handoff_id = ? ORDER BY seq').all(handoffId);
  }

  audit(handoffId: string, event: string, actor: string, detail?: string): void {
    this.sql('INSERT INTO handoff_audit (handoff_id, event, actor, at, detail) VALUES (?, ?, ?, ?, ?)').run(handoffId, event, actor, this.now().toISOString(), detail ?? null);
  }

  /** Seconds from request to acceptance of the most recent accepted hand-offs, newest first. */
  recentWaits(limit: number): number[] {
    return this.sql<[number], { wait: number }>(
        `SELECT (julianday(accepted_at) - julianday(requested_at)) * 86400 AS wait FROM handoffs
         WHERE accepted_at IS NOT NULL ORDER BY accepted_at DESC LIMIT ?`,
      )
      .all(limit)
      .map((r) => Math.max(0, r.wait));
  }
}

function fromRow(row: Row): HandoffRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    channelId: row.channel_id,
    userName: row.user_name,
    state: row.state,
    requestedAt: row.requested_at,
    ...(row.accepted_at ? { acceptedAt: row.accepted_at } : {}),
    ...(row.ended_at ? { endedAt: row.ended_at } : {}),
    ...(row.agent_id ? { agentId: row.agent_id } : {}),
    ...(row.agent_name ? { agentName: row.agent_name } : {}),
    summary: JSON.parse(row.summary) as HandoffSummary,
    reference: JSON.parse(row.reference) as Partial<ConversationReference>,
    ...(row.left_message !== null ? { leftMessage: row.left_message } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome } : {}),
    ...(row.told_position !== null ? { toldPosition: row.told_position } : {}),
  };
}
