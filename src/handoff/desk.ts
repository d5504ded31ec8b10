import type { HandoffSummary, TranscriptLine } from './types';

/**
 * The pluggable agent desk: where the bot's `handoff.initiate` goes and where
 * the `handoff.status` answers come from. The built-in console is one desk;
 * external ones (Chatwoot, Dynamics 365) implement the same interface, and the
 * bot's dialogs never know which desk is behind them.
 */

/** Why no agent took the conversation. */
export type HandoffFailure = 'outside_hours' | 'timeout' | 'no_agents';

/** The `value` of a `handoff.status` event (EventFactory.createHandoffStatus's `{state, message}` plus our fields). */
export type HandoffStatusValue =
  | { state: 'queued'; handoffId: string; position: number; waitSeconds: number; message?: string }
  | { state: 'accepted'; handoffId: string; agentName: string; message?: string }
  | { state: 'failed'; handoffId: string; reason: HandoffFailure; message?: string }
  | { state: 'completed'; handoffId: string; message?: string };

/** What the desk gets when the bot asks for a person (from the intercepted `handoff.initiate`). */
export interface HandoffRequest {
  handoffId: string;
  conversationId: string;
  channelId: string;
  userName: string;
  summary: HandoffSummary;
  transcript: TranscriptLine[];
}

/** How a desk talks back: provided by the core, which knows the channels. */
export interface DeskLink {
  /** Feeds a `handoff.status` event into the bot (through the adapter, as a turn of the user's conversation). */
  status(value: HandoffStatusValue): Promise<void>;
  /** An agent's message, sent to the user on their channel. */
  toUser(handoffId: string, text: string, agentName: string): Promise<void>;
  /** The agent is typing: shown to the user. */
  typingToUser(handoffId: string): Promise<void>;
}

export interface AgentDesk {
  readonly name: string;
  /** Called once by the core before any request. */
  connect(link: DeskLink): void;
  /** A new request (the hand-off record exists, state waiting). Must not wait for the bot's turn. */
  initiate(request: HandoffRequest): Promise<void>;
  /** A line the user wrote while waiting or while an agent holds the conversation. */
  fromUser(handoffId: string, line: TranscriptLine): Promise<void>;
  userTyping(handoffId: string): Promise<void>;
  /** The user left the queue (the record is already `left`). */
  userLeft(handoffId: string): Promise<void>;
  /** The user left a message for the agents after no one was available. */
  messageLeft(handoffId: string, text: string): Promise<void>;
  close(): void;
}
