import type { TurnContext } from 'botbuilder-core';
import type { JournalFix } from './fix-journal';

/** A desk's answer as the dialogs see it (the `value` of a `handoff.status` event). */
export type HandoffStatus =
  | { state: 'queued'; handoffId: string; position: number; waitSeconds: number }
  | { state: 'accepted'; handoffId: string; agentName: string }
  | { state: 'failed'; handoffId: string; reason: 'outside_hours' | 'timeout' | 'no_agents' }
  | { state: 'completed'; handoffId: string };

/**
 * What the dialogs need of the hand-off, and no more: they ask for a person
 * and hear back through `handoff.status` events, never knowing which desk
 * answers. Implemented in src/handoff.
 */
export interface HandoffPort {
  /** Asks for a person for this conversation (sends `handoff.initiate`). */
  request(context: TurnContext, journal: JournalFix[]): Promise<void>;
  /** Applies a desk's status to the hand-off record; false when it is stale (not this conversation's current hand-off, or already applied). */
  apply(context: TurnContext, status: HandoffStatus): Promise<boolean>;
  /** The agent's name as the user sees it, for the "has left" line. */
  agentName(handoffId: string): Promise<string>;
  recordOutcome(handoffId: string, solved: boolean): Promise<void>;
  leaveMessage(handoffId: string, text: string): Promise<void>;
  /** SUPPORT_HOURS as configured, for telling the user. */
  supportHours(): string;
}
