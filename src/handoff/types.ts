// The hand-off contract shared by the core (queue, records, desk) and the agent console / Teams agents.
// Kept stable: fields may be added, never removed or renamed.

export type HandoffState = 'waiting' | 'active' | 'ended' | 'left' | 'timed_out' | 'no_agents';

export interface AgentIdentity {
  id: string;
  name: string;
  role: 'agent' | 'admin';
  via: 'console' | 'teams';
}

export interface HandoffSummary {
  fixesTried: { fix: string; title: string; steps: { step: string; prompt: string; answer: string }[]; outcome: string }[];
  sizes: string[];
  devices: string[];
  firstMessage: string;
  lastUserMessages: string[];
  channel: string;
}

export interface TranscriptLine {
  from: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  at: string; // ISO
  agentName?: string;
}

export interface HandoffView {
  id: string;
  conversationId: string;
  channel: string;
  userName: string;
  state: HandoffState;
  requestedAt: string;
  acceptedAt?: string;
  endedAt?: string;
  position?: number;
  waitSeconds: number;
  agent?: { id: string; name: string };
  summary: HandoffSummary;
  leftMessage?: string;
  outcome?: string;
}

export interface HandoffNote {
  agent: string;
  text: string;
  at: string;
}

export type HandoffDetail = HandoffView & { transcript: TranscriptLine[]; notes: HandoffNote[] };

export type HandoffFeedEvent =
  | { type: 'queue'; waiting: HandoffView[]; added?: string[] } // any change to the queue; `added`: the requests that joined it with this change
  | { type: 'message'; handoffId: string; line: TranscriptLine } // user / agent / system line in an active hand-off
  | { type: 'typing'; handoffId: string; from: 'user' | 'agent' }
  | { type: 'state'; handoff: HandoffView }; // accepted, ended, left, timed out

export interface AgentDeskService {
  /** Oldest first, position 1..n, waitSeconds. */
  waiting(): Promise<HandoffView[]>;
  /** Active hand-offs held by this agent. */
  mine(agentId: string): Promise<HandoffView[]>;
  get(handoffId: string): Promise<HandoffDetail | undefined>;
  /** HandoffConflictError if not waiting. */
  accept(handoffId: string, agent: AgentIdentity): Promise<HandoffView>;
  /** HandoffForbiddenError if not this agent's. */
  sendToUser(handoffId: string, agent: AgentIdentity, text: string): Promise<void>;
  typing(handoffId: string, agent: AgentIdentity): Promise<void>;
  end(handoffId: string, agent: AgentIdentity): Promise<void>;
  addNote(handoffId: string, agent: AgentIdentity, text: string): Promise<void>;
  /** Hand-offs with a message left for agents (no agent was available). */
  leftMessages(): Promise<HandoffView[]>;
  /**
   * The live events; with several instances `everywhere` (the default) hears
   * every instance's, `here` only this one's (for what must be done once).
   */
  subscribe(listener: (e: HandoffFeedEvent) => void, scope?: 'everywhere' | 'here'): () => void;
}
