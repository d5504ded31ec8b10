import type { Logger } from '../log';
import type { AgentDesk, DeskLink, HandoffFailure, HandoffRequest } from './desk';
import { HandoffConflictError, HandoffForbiddenError, HandoffNotFoundError } from './errors';
import type { HandoffRecord, HandoffStore } from './handoff-store';
import type { SupportHours } from './support-hours';
import type { AgentDeskService, AgentIdentity, HandoffDetail, HandoffFeedEvent, HandoffView, TranscriptLine } from './types';
import { RECENT_HANDOFFS, estimateWaitSeconds } from './wait-estimate';

export interface ConsoleDeskOptions {
  store: HandoffStore;
  /** The conversation's transcript (from the transcript store). */
  transcript: (conversationId: string) => TranscriptLine[];
  hours: SupportHours;
  timeoutSeconds: number;
  /** Whether anyone could ever accept (console accounts or Teams agents exist). */
  agentsExist: boolean;
  log: Logger;
  now?: () => Date;
  /** How often waiting requests are checked against the timeout. */
  sweepMs?: number;
}

/**
 * The built-in agent desk: a queue in the bot's own database, worked from the
 * console at /agent (and by agents in Teams). It answers the bot with
 * `handoff.status` (queued with position and wait, accepted, failed,
 * completed) and tells its agents everything through `subscribe`.
 */
export class ConsoleDesk implements AgentDesk, AgentDeskService {
  readonly name = 'console';
  private link?: DeskLink;
  private readonly listeners = new Set<(e: HandoffFeedEvent) => void>();
  private timer?: NodeJS.Timeout;
  private readonly now: () => Date;

  constructor(private readonly options: ConsoleDeskOptions) {
    for (const key of ['store', 'transcript', 'hours', 'log'] as const) {
      if (!options[key]) throw new Error(`ConsoleDesk needs "${key}"`);
    }
    if (!(options.timeoutSeconds > 0)) throw new Error('ConsoleDesk needs timeoutSeconds > 0');
    this.now = options.now ?? (() => new Date());
  }

  connect(link: DeskLink): void {
    this.link = link;
    const every = this.options.sweepMs ?? Math.min(5000, Math.max(250, (this.options.timeoutSeconds * 1000) / 4));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }

  // --- AgentDesk: the bot's side ---

  async initiate(request: HandoffRequest): Promise<void> {
    const record = this.options.store.get(request.handoffId);
    if (!record) return;
    if (!this.options.hours.isOpen(this.now())) return this.fail(record, 'outside_hours');
    if (!this.options.agentsExist) return this.fail(record, 'no_agents');
    this.emitQueue();
    await this.tellPositions();
  }

  async fromUser(handoffId: string, line: TranscriptLine): Promise<void> {
    this.emit({ type: 'message', handoffId, line });
  }

  async userTyping(handoffId: string): Promise<void> {
    this.emit({ type: 'typing', handoffId, from: 'user' });
  }

  async userLeft(handoffId: string): Promise<void> {
    this.emitState(handoffId);
    this.emitQueue();
    await this.tellPositions();
  }

  async messageLeft(handoffId: string): Promise<void> {
    this.emitState(handoffId);
  }

  /** Requests nobody accepted in time are told so; the rest move up. */
  async sweep(): Promise<void> {
    const limit = this.now().getTime() - this.options.timeoutSeconds * 1000;
    const late = this.options.store.waiting().filter((r) => Date.parse(r.requestedAt) <= limit);
    for (const record of late) await this.fail(record, 'timeout');
    if (late.length > 0) await this.tellPositions();
  }

  // --- AgentDeskService: the agents' side ---

  waiting(): HandoffView[] {
    return this.options.store.waiting().map((r, i) => this.view(r, i + 1));
  }

  mine(agentId: string): HandoffView[] {
    return this.options.store.activeFor(agentId).map((r) => this.view(r));
  }

  get(handoffId: string): HandoffDetail | undefined {
    const record = this.options.store.get(handoffId);
    if (!record) return undefined;
    const position = record.state === 'waiting' ? this.options.store.waiting().findIndex((r) => r.id === handoffId) + 1 : undefined;
    return { ...this.view(record, position), transcript: this.options.transcript(record.conversationId), notes: this.options.store.notes(handoffId) };
  }

  async accept(handoffId: string, agent: AgentIdentity): Promise<HandoffView> {
    const { store } = this.options;
    const record = store.get(handoffId);
    if (!record) throw new HandoffNotFoundError(handoffId);
    if (!store.transition(handoffId, ['waiting'], 'active', { agentId: agent.id, agentName: agent.name })) {
      throw new HandoffConflictError(handoffId, store.get(handoffId)?.state ?? record.state);
    }
    store.audit(handoffId, 'accepted', agent.id, agent.via);
    const view = this.emitState(handoffId)!;
    this.emitQueue();
    await this.deliver(() => this.link?.status({ state: 'accepted', handoffId, agentName: agent.name }), handoffId);
    await this.tellPositions();
    return view;
  }

  async sendToUser(handoffId: string, agent: AgentIdentity, text: string): Promise<void> {
    this.held(handoffId, agent);
    await this.linked().toUser(handoffId, text, agent.name);
    this.emit({ type: 'message', handoffId, line: { from: 'agent', text, at: this.now().toISOString(), agentName: agent.name } });
  }

  async typing(handoffId: string, agent: AgentIdentity): Promise<void> {
    this.held(handoffId, agent);
    this.emit({ type: 'typing', handoffId, from: 'agent' });
    await this.linked().typingToUser(handoffId);
  }

  async end(handoffId: string, agent: AgentIdentity): Promise<void> {
    this.held(handoffId, agent);
    if (!this.options.store.transition(handoffId, ['active'], 'ended')) throw new HandoffConflictError(handoffId, 'not active');
    this.options.store.audit(handoffId, 'ended', agent.id, agent.via);
    this.emitState(handoffId);
    await this.deliver(() => this.link?.status({ state: 'completed', handoffId }), handoffId);
  }

  addNote(handoffId: string, agent: AgentIdentity, text: string): void {
    const record = this.options.store.get(handoffId);
    if (!record) throw new HandoffNotFoundError(handoffId);
    if (record.state === 'active' && record.agentId !== agent.id) throw new HandoffForbiddenError(handoffId);
    this.options.store.addNote(handoffId, { agent: agent.name, text, at: this.now().toISOString() });
    this.options.store.audit(handoffId, 'note', agent.id);
  }

  leftMessages(): HandoffView[] {
    return this.options.store.withLeftMessages().map((r) => this.view(r));
  }

  subscribe(listener: (e: HandoffFeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- inside ---

  /** The record, if `agent` holds it; otherwise the error saying why not. */
  private held(handoffId: string, agent: AgentIdentity): HandoffRecord {
    const record = this.options.store.get(handoffId);
    if (!record) throw new HandoffNotFoundError(handoffId);
    if (record.state !== 'active') throw new HandoffConflictError(handoffId, record.state);
    if (record.agentId !== agent.id) throw new HandoffForbiddenError(handoffId);
    return record;
  }

  private async fail(record: HandoffRecord, reason: HandoffFailure): Promise<void> {
    const state = reason === 'timeout' ? 'timed_out' : 'no_agents';
    if (!this.options.store.transition(record.id, ['waiting'], state)) return;
    this.options.store.audit(record.id, state, 'desk', reason);
    this.emitState(record.id);
    this.emitQueue();
    await this.deliver(() => this.link?.status({ state: 'failed', handoffId: record.id, reason }), record.id);
  }

  /** Tells every waiting user whose place changed where they are now, with the usual wait. */
  private async tellPositions(): Promise<void> {
    const { store } = this.options;
    const recent = store.recentWaits(RECENT_HANDOFFS);
    const waiting = store.waiting();
    for (const [i, record] of waiting.entries()) {
      const position = i + 1;
      if (record.toldPosition === position) continue;
      store.setToldPosition(record.id, position);
      await this.deliver(() => this.link?.status({ state: 'queued', handoffId: record.id, position, waitSeconds: estimateWaitSeconds(recent, position) }), record.id);
    }
  }

  /** A user's channel failing must not stop the desk (or the other users' updates). */
  private async deliver(send: () => Promise<void> | undefined, handoffId: string): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.options.log.warn('could not tell the user about their hand-off', { handoffId, error: String((error as Error)?.message ?? error) });
    }
  }

  private linked(): DeskLink {
    if (!this.link) throw new Error('ConsoleDesk: not connected');
    return this.link;
  }

  private view(record: HandoffRecord, position?: number): HandoffView {
    const until = record.acceptedAt ?? record.endedAt;
    const waitSeconds = Math.max(0, Math.round(((until ? Date.parse(until) : this.now().getTime()) - Date.parse(record.requestedAt)) / 1000));
    return {
      id: record.id,
      conversationId: record.conversationId,
      channel: record.channelId,
      userName: record.userName,
      state: record.state,
      requestedAt: record.requestedAt,
      ...(record.acceptedAt ? { acceptedAt: record.acceptedAt } : {}),
      ...(record.endedAt ? { endedAt: record.endedAt } : {}),
      ...(position ? { position } : {}),
      waitSeconds,
      ...(record.agentId ? { agent: { id: record.agentId, name: record.agentName ?? '' } } : {}),
      summary: record.summary,
      ...(record.leftMessage !== undefined ? { leftMessage: record.leftMessage } : {}),
      ...(record.outcome !== undefined ? { outcome: record.outcome } : {}),
    };
  }

  private emitState(handoffId: string): HandoffView | undefined {
    const record = this.options.store.get(handoffId);
    if (!record) return undefined;
    const view = this.view(record);
    this.emit({ type: 'state', handoff: view });
    return view;
  }

  private emitQueue(): void {
    this.emit({ type: 'queue', waiting: this.waiting() });
  }

  private emit(event: HandoffFeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.warn('a hand-off feed listener failed', { error: String(error) });
      }
    }
  }
}
