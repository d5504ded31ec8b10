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

/** One line of the audit log (requested, accepted by whom, left, timed out, ended by whom, outcome, note). */
export interface HandoffAuditEntry {
  event: string;
  actor: string;
  at: string;
  detail?: string;
}

export type NewHandoff = Pick<HandoffRecord, 'conversationId' | 'channelId' | 'userName' | 'summary' | 'reference'>;

/**
 * Hand-offs (with any message left for the agents), agents' notes and the
 * audit log: what the desks, the bot and the agents share. In the bot's
 * SQLite database (one instance) or in Redis (several instances, REDIS_URL);
 * both pass test/handoff/handoff-store-contract.ts.
 */
export interface HandoffStore {
  create(fields: NewHandoff): Promise<HandoffRecord>;
  /**
   * "delete my data": the conversation's hand-offs keep their states and times
   * (the audit) but lose what the user wrote: the message left for agents and
   * the summary's quotes (first message, last messages, typed step answers).
   * Resolves to how many hand-offs were changed.
   */
  forgetUserText(conversationId: string): Promise<number>;
  get(id: string): Promise<HandoffRecord | undefined>;
  /** The conversation's hand-off in progress (waiting or active), if any. */
  openFor(conversationId: string): Promise<HandoffRecord | undefined>;
  /** The conversation's latest hand-off, whatever its state. */
  latestFor(conversationId: string): Promise<HandoffRecord | undefined>;
  /** The queue, oldest first. */
  waiting(): Promise<HandoffRecord[]>;
  /** Active hand-offs held by the agent, oldest acceptance first. */
  activeFor(agentId: string): Promise<HandoffRecord[]>;
  /** Hand-offs with a message left for agents, newest first (at most 200). */
  withLeftMessages(): Promise<HandoffRecord[]>;
  /**
   * Moves a hand-off to `state` only if it is in one of `from`, in one atomic
   * step: two agents accepting at once (on one instance or on two) cannot
   * both win. Sets acceptedAt on 'active', endedAt on any closed state.
   * True when it moved.
   */
  transition(id: string, from: readonly HandoffState[], state: HandoffState, patch?: { agentId?: string; agentName?: string }): Promise<boolean>;
  setReference(id: string, reference: Partial<ConversationReference>): Promise<void>;
  setOutcome(id: string, outcome: string): Promise<void>;
  setLeftMessage(id: string, text: string): Promise<void>;
  /**
   * Records `position` as the place the user was last told and resolves true,
   * unless it already was (false). Whoever gets true tells the user, so
   * several instances looking at one queue tell each change once.
   */
  claimToldPosition(id: string, position: number): Promise<boolean>;
  addNote(handoffId: string, note: HandoffNote): Promise<void>;
  notes(handoffId: string): Promise<HandoffNote[]>;
  audit(handoffId: string, event: string, actor: string, detail?: string): Promise<void>;
  /** The hand-off's audit log, oldest first. */
  auditLog(handoffId: string): Promise<HandoffAuditEntry[]>;
  /** Seconds from request to acceptance of the most recent accepted hand-offs, newest first. */
  recentWaits(limit: number): Promise<number[]>;
}

/** The summary kept after "delete my data": no quotes of the user. */
export function forgottenSummary(summary: HandoffSummary): HandoffSummary {
  return { ...summary, firstMessage: '', lastUserMessages: [], fixesTried: summary.fixesTried.map((f) => ({ ...f, steps: [] })) };
}

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
 * The hand-off store in tables of the bot's SQLite database: the queue
 * survives a restart with the state. better-sqlite3 answers at once; the
 * methods are async for the interface's sake.
 */
export class SqliteHandoffStore implements HandoffStore {
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

  async create(fields: NewHandoff): Promise<HandoffRecord> {
    const record: HandoffRecord = { id: randomUUID(), state: 'waiting', requestedAt: this.now().toISOString(), ...fields };
    this.sql(
        `INSERT INTO handoffs (id, conversation_id, channel_id, user_name, state, requested_at, summary, reference)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(record.id, record.conversationId, record.channelId, record.userName, record.state, record.requestedAt, JSON.stringify(redactStrings(record.summary)), JSON.stringify(record.reference));
    await this.audit(record.id, 'requested', 'user');
    return record;
  }

  async forgetUserText(conversationId: string): Promise<number> {
    const rows = this.sql<[string], Row>('SELECT * FROM handoffs WHERE conversation_id = ?').all(conversationId);
    const update = this.sql('UPDATE handoffs SET left_message = NULL, summary = ? WHERE id = ?');
    return this.db.transaction(() => {
      for (const row of rows) {
        update.run(JSON.stringify(forgottenSummary(JSON.parse(row.summary) as HandoffSummary)), row.id);
      }
      return rows.length;
    })();
  }

  async get(id: string): Promise<HandoffRecord | undefined> {
    const row = this.sql<[string], Row>('SELECT * FROM handoffs WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  async openFor(conversationId: string): Promise<HandoffRecord | undefined> {
    const row = this.sql<[string], Row>(`SELECT * FROM handoffs WHERE conversation_id = ? AND state IN ('waiting', 'active') ORDER BY requested_at DESC LIMIT 1`)
      .get(conversationId);
    return row && fromRow(row);
  }

  async latestFor(conversationId: string): Promise<HandoffRecord | undefined> {
    const row = this.sql<[string], Row>('SELECT * FROM handoffs WHERE conversation_id = ? ORDER BY requested_at DESC, rowid DESC LIMIT 1').get(conversationId);
    return row && fromRow(row);
  }

  async waiting(): Promise<HandoffRecord[]> {
    return this.sql<[], Row>(`SELECT * FROM handoffs WHERE state = 'waiting' ORDER BY requested_at, rowid`).all().map(fromRow);
  }

  async activeFor(agentId: string): Promise<HandoffRecord[]> {
    return this.sql<[string], Row>(`SELECT * FROM handoffs WHERE state = 'active' AND agent_id = ? ORDER BY accepted_at`).all(agentId).map(fromRow);
  }

  async withLeftMessages(): Promise<HandoffRecord[]> {
    return this.sql<[], Row>('SELECT * FROM handoffs WHERE left_message IS NOT NULL ORDER BY requested_at DESC LIMIT 200').all().map(fromRow);
  }

  /** One UPDATE: two agents accepting at once cannot both win. */
  async transition(id: string, from: readonly HandoffState[], state: HandoffState, patch: { agentId?: string; agentName?: string } = {}): Promise<boolean> {
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

  async setReference(id: string, reference: Partial<ConversationReference>): Promise<void> {
    this.sql('UPDATE handoffs SET reference = ? WHERE id = ?').run(JSON.stringify(reference), id);
  }

  async setOutcome(id: string, outcome: string): Promise<void> {
    this.sql('UPDATE handoffs SET outcome = ? WHERE id = ?').run(outcome, id);
  }

  async setLeftMessage(id: string, text: string): Promise<void> {
    this.sql('UPDATE handoffs SET left_message = ? WHERE id = ?').run(text, id);
  }

  async claimToldPosition(id: string, position: number): Promise<boolean> {
    return this.sql('UPDATE handoffs SET told_position = ? WHERE id = ? AND told_position IS NOT ?').run(position, id, position).changes === 1;
  }

  async addNote(handoffId: string, note: HandoffNote): Promise<void> {
    this.sql('INSERT INTO handoff_notes (handoff_id, agent, text, at) VALUES (?, ?, ?, ?)').run(handoffId, note.agent, note.text, note.at);
  }

  async notes(handoffId: string): Promise<HandoffNote[]> {
    return this.sql<[string], HandoffNote>('SELECT agent, text, at FROM handoff_notes WHERE handoff_id = ? ORDER BY seq').all(handoffId);
  }

  async audit(handoffId: string, event: string, actor: string, detail?: string): Promise<void> {
    this.sql('INSERT INTO handoff_audit (handoff_id, event, actor, at, detail) VALUES (?, ?, ?, ?, ?)').run(handoffId, event, actor, this.now().toISOString(), detail ?? null);
  }

  async auditLog(handoffId: string): Promise<HandoffAuditEntry[]> {
    return this.sql<[string], { event: string; actor: string; at: string; detail: string | null }>('SELECT event, actor, at, detail FROM handoff_audit WHERE handoff_id = ? ORDER BY seq')
      .all(handoffId)
      .map(({ detail, ...entry }) => ({ ...entry, ...(detail !== null ? { detail } : {}) }));
  }

  async recentWaits(limit: number): Promise<number[]> {
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
