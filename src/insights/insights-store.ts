import { redact } from '../privacy/redact';

/**
 * What happened in conversations, as events, in the bot's embedded database
 * (SqliteInsightsStore) or, with several instances, in Redis (RedisInsightsStore):
 * outcomes (resolved by which fix, escalated, handed off, abandoned, out of
 * scope, Android), the funnel of each fix (started, each step reached, "I
 * can't find it", solved), CSAT answers and the messages the bot did not
 * understand well. Free text is redacted before it is written; nothing here
 * is keyed by anything but the conversation id.
 */

/** Kinds that say how a conversation ended (its outcome). */
export const OUTCOME_KINDS = ['resolved', 'escalated', 'handed_off', 'abandoned', 'out_of_scope', 'android'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Kinds of the funnel of a fix. */
export const FUNNEL_KINDS = ['fix_started', 'step_reached', 'cant_find', 'fix_failed'] as const;
export type FunnelKind = (typeof FUNNEL_KINDS)[number];

export type EventKind = OutcomeKind | FunnelKind;

/** Still inside a fix: if nothing follows within the idle time, the user walked away there. */
export const IN_PROGRESS_KINDS: readonly EventKind[] = ['fix_started', 'step_reached', 'cant_find', 'fix_failed'];

export interface InsightEvent {
  conversation: string;
  kind: EventKind;
  fix?: string;
  step?: string;
  /** ISO time; now when left out. */
  at?: string;
}

export interface StoredEvent extends Required<Pick<InsightEvent, 'conversation' | 'kind' | 'at'>> {
  id: number;
  fix: string | null;
  step: string | null;
}

export type CsatAfter = 'fix' | 'handoff';

export interface CsatAnswer {
  conversation: string;
  score: number;
  comment?: string;
  after: CsatAfter;
  at?: string;
}

/** Why a message is in the understanding inbox. */
export type InboxReason = 'below_route' | 'fallback' | 'rephrased';
export type InboxStatus = 'open' | 'labelled' | 'dismissed' | 'imported';

export interface InboxItem {
  id: number;
  conversation: string;
  at: string;
  text: string;
  reason: InboxReason;
  /** The bot's readings: intent names with confidences, best first. */
  readings: { name: string; confidence: number }[];
  status: InboxStatus;
  label: string | null;
  labelledBy: string | null;
}

export interface Period {
  /** ISO, inclusive. */
  since: string;
  /** ISO, exclusive. */
  until: string;
}

export interface CsatRow {
  conversation: string;
  at: string;
  score: number;
  comment: string | null;
  after: CsatAfter;
}

/**
 * The insights' store, whatever is behind it: the same answers from SQLite
 * and from Redis (test/insights/insights-store-contract.ts runs both).
 */
export interface InsightsStore {
  record(event: InsightEvent): Promise<void>;
  /** A conversation's events, oldest (lowest id) first. */
  events(conversation: string): Promise<StoredEvent[]>;
  /** Events in a period, in id order. */
  eventsIn(period: Period): Promise<StoredEvent[]>;
  /** True when this conversation has already given a rating. */
  hasCsat(conversation: string): Promise<boolean>;
  /**
   * The rating question may be put to this conversation: true the first
   * time only, atomically (two instances asking at once get one true), so
   * it is asked at most once whichever instance runs the turn. True again
   * for the claim's own turn (`by`, the activity being answered) when that
   * turn runs again: after a state conflict, or redelivered by the channel
   * because its replies did not get through.
   */
  claimCsatQuestion(conversation: string, claim?: { by?: string; at?: string }): Promise<boolean>;
  /** One rating per conversation, atomically: a second one is ignored (resolves false). */
  recordCsat(answer: CsatAnswer): Promise<boolean>;
  /** Adds a comment (redacted) to the rating already given in this conversation. */
  commentCsat(conversation: string, comment: string): Promise<void>;
  csatIn(period: Period): Promise<CsatRow[]>;
  /** A message the bot understood poorly, stored redacted with its readings for a reviewer. */
  addToInbox(item: { conversation: string; text: string; reason: InboxReason; readings: InboxItem['readings']; at?: string }): Promise<void>;
  /**
   * The conversation's last open message the bot fell back on (within
   * `withinMs`) was followed by one it understood: it is marked `rephrased`,
   * with the readings of the rephrasing as the reviewer's hint. Resolves whether one was found.
   */
  markRephrased(conversation: string, readings: InboxItem['readings'], withinMs?: number, now?: number): Promise<boolean>;
  /** Items with this status, newest first. */
  inbox(status: InboxStatus, limit?: number): Promise<InboxItem[]>;
  inboxItem(id: number): Promise<InboxItem | undefined>;
  /** A reviewer's verdict on an open or labelled item: the intent it meant (or `none`), or dismissed. False for an unknown item. */
  review(id: number, verdict: { label: string; by: string } | 'dismiss'): Promise<boolean>;
  markImported(ids: readonly number[]): Promise<void>;
  /**
   * Conversations whose last event, older than `idleSince`, left them inside
   * a fix get an `abandoned` outcome at the fix and step they stopped at.
   * Only conversations with an event since `activeSince` are looked at (the
   * previous pass's `idleSince`: older ones were looked at then), so a pass
   * every minute reads the recent events, not the whole retention period.
   * Idempotent: a conversation already marked is not marked again (two
   * instances may run the pass at once). Resolves to how many were marked.
   */
  markAbandoned(idleSince: string, at?: string, activeSince?: string): Promise<number>;
  /** Retention: deletes events, ratings, questions asked and inbox items older than `before`. Resolves to how many (questions not counted). */
  deleteOlderThan(before: string): Promise<number>;
  /** "Delete my data": the messages this conversation left here (inbox texts, rating comments). */
  deleteConversationText(conversation: string): Promise<number>;
}

export const nowIso = (): string => new Date().toISOString();
/** An inbox message is kept up to this many characters (a reviewer needs the gist; the body limit is 256 KiB). */
const MAX_TEXT = 2000;

/** What a user wrote, as every store keeps it: redacted, and no longer than a reviewer needs. */
export const storedText = (text: string): string => redact(text).slice(0, MAX_TEXT);
/** A bot's readings as kept: the best three. */
export const storedReadings = (readings: InboxItem['readings']): InboxItem['readings'] => readings.slice(0, 3);

export function checkScore(score: number): void {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError('CSAT score must be 1..5');
}
