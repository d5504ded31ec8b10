import type { Logger } from '../log';
import { LocalHandoffFeed } from './handoff-feed';
import type { HandoffFeed } from './handoff-feed';
import type { AgentDesk, DeskLink, HandoffFailure, HandoffRequest } from './desk';
import { HandoffConflictError, HandoffForbiddenError, HandoffNotFoundError } from './errors';
import type { HandoffRecord, HandoffStore } from './handoff-store';
import type { SupportHours } from './support-hours';
import type { AgentDeskService, AgentIdentity, HandoffDetail, HandoffFeedEvent, HandoffView, TranscriptLine } from './types';
import { RECENT_HANDOFFS, estimateWaitSeconds } from './wait-estimate';

export interface ConsoleDeskOptions {
  store: HandoffStore;
  /** The conversation's transcript (from the transcript store). */
  transcript: (conversationId: string) => TranscriptLine[] | Promise<TranscriptLine[]>;
  hours: SupportHours;
  timeoutSeconds: number;
  /** Whether anyone could ever accept (console accounts or Teams agents exist). */
  agentsExist: boolean;
  log: Logger;
  now?: () => Date;
  /** How often waiting requests are checked against the timeout. */
  sweepMs?: number;
  /** Where the live events go (default: this process only; Redis pub/sub with several instances). */
  feed?: HandoffFeed;
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
  private readonly feed: HandoffFeed;
  private timer?: NodeJS.Timeout;
  private readonly now: () => Date;

  constructor(private readonly options: ConsoleDeskOptions) {
    for (const key of ['store', 'transcript', 'hours', 'log'] as const) {
      if (!options[key]) throw new Error(`ConsoleDesk needs "${key}"`);
    }
    if (!(options.timeoutSeconds > 0)) throw new Error('ConsoleDesk needs timeoutSeconds > 0');
    this.now = options.now ?? (() => new Date());
    this.feed = options.feed ?? new LocalHandoffFeed((error) => options.log.warn('a hand-off feed listener failed', { error: String(error) }));
  }

  connect(link: DeskLink): void {
    this.link = link;
    const every = this.options.sweepMs ?? Math.min(5000, Math.max(250, (this.options.timeoutSeconds * 1000) / 4));
    // A sweep that fails (Redis unreachable) is tried again at the next tick.
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.options.log.warn('hand-off sweep failed', { error: String(error) })), every);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.feed.close();
  }

  // --- AgentDesk: the bot's side ---

  async initiate(request: HandoffRequest): Promise<void> {
    const record = await this.options.store.get(request.handoffId);
    if (!record) return;
    if (!this.options.hours.isOpen(this.now())) return this.fail(record, 'outside_hours');
    if (!this.options.agentsExist) return this.fail(record, 'no_agents');
    await this.emitQueue([record.id]);
    await this.tellPositions();
  }

  async fromUser(handoffId: string, line: TranscriptLine): Promise<void> {
    this.emit({ type: 'message', handoffId, line });
  }

  async userTyping(handoffId: string): Promise<void> {
    this.emit({ type: 'typing', handoffId, from: 'user' });
  }

  async userLeft(handoffId: string): Promise<void> {
    await this.emitState(handoffId);
    await this.emitQueue();
    await this.tellPositions();
  }

  async messageLeft(handoffId: string): Promise<void> {
    await this.emitState(handoffId);
  }

  /**
   * Requests nobody accepted in time are told so; the rest move up. Every
   * instance sweeps: the store's transition lets one of them fail each
   * request, and claimToldPosition one of them tell each new place.
   */
  async sweep(): Promise<void> {
    const limit = this.now().getTime() - this.options.timeoutSeconds * 1000;
    const late = (await this.options.store.waiting()).filter((r) => Date.parse(r.requestedAt) <= limit);
    for (const record of late) await this.fail(record, 'timeout');
    if (late.length > 0) await this.tellPositions();
  }

  // --- AgentDeskService: the agents' side ---

  async waiting(): Promise<HandoffView[]> {
    return (await this.options.store.waiting()).map((r, i) => this.view(r, i + 1));
  }

  async mine(agentId: string): Promise<HandoffView[]> {
    return (await this.options.store.activeFor(agentId)).map((r) => this.view(r));
  }

  async get(handoffId: string): Promise<HandoffDetail | undefined> {
    const { store } = this.options;
    const record = await store.get(handoffId);
    if (!record) return undefined;
    const position = record.state === 'waiting' ? (await store.waiting()).findIndex((r) => r.id === handoffId) + 1 : undefined;
    return { ...this.view(record, position), transcript: await this.options.transcript(record.conversationId), notes: await store.notes(handoffId) };
  }

  async accept(handoffId: string, agent: AgentIdentity): Promise<HandoffView> {
    const { store } = this.options;
    const record = await store.get(handoffId);
    if (!record) throw new HandoffNotFoundError(handoffId);
    if (!(await store.transition(handoffId, ['waiting'], 'active', { agentId: agent.id, agentName: agent.name }))) {
      throw new HandoffConflictError(handoffId, (await store.get(handoffId))?.state ?? record.state);
    }
    await store.audit(handoffId, 'accepted', agent.id, agent.via);
    const view = (await this.emitState(handoffId))!;
    await this.emitQueue();
    await this.deliver(() => this.link?.status({ state: 'accepted', handoffId, agentName: agent.name }), handoffId);
    await this.tellPositions();
    return view;
  }

  async sendToUser(handoffId: string, agent: AgentIdentity, text: string): Promise<void> {
    await this.held(handoffId, agent);
    await this.linked().toUser(handoffId, text, agent.name);
    this.emit({ type: 'message', handoffId, line: { from: 'agent', text, at: this.now().toISOString(), agentName: agent.name } });
  }

  async typing(handoffId: string, agent: AgentIdentity): Promise<void> {
    await this.held(handoffId, agent);
    this.emit({ type: 'typing', handoffId, from: 'agent' });
    await this.linked().typingToUser(handoffId);
  }

  async end(handoffId: string, agent: AgentIdentity): Promise<void> {
    await this.held(handoffId, agent);
    if (!(await this.options.store.transition(handoffId, ['active'], 'ended'))) throw new HandoffConflictError(handoffId, 'not active');
    await this.options.store.audit(handoffId, 'ended', agent.id, agent.via);
    await this.emitState(handoffId);
    await this.deliver(() => this.link?.status({ state: 'completed', handoffId }), handoffId);
  }

  async addNote(handoffId: string, agent: AgentIdentity, text: string): Promise<void> {
    const record = await this.options.store.get(handoffId);
    if (!record) throw new HandoffNotFoundError(handoffId);
    if (record.state === 'active' && record.agentId !== agent.id) throw new HandoffForbiddenError(handoffId);
    await this.options.store.addNote(handoffId, { agent: agent.name, text, at: this.now().toISOString() });
    await this.options.store.audit(handoffId, 'note', agent.id);
  }

  async leftMessages(): Promise<HandoffView[]> {
    return (await this.options.store.withLeftMessages()).map((r) => this.view(r));
  }

  subscribe(listener: (e: HandoffFeedEvent) => void, scope?: 'everywhere' | 'here'): () => void {
    return this.feed.subscribe(listener, scope);
  }

  // --- inside ---

  /** The record, if `agent` holds it; otherwise the error saying why not. */
  private async held(handoffId: string, agent: AgentIdentity): Promise<HandoffRecord> {
    const record = await this.options.store.get(handoffId);
    if (!record) throw new HandoffNotFoundError(handoffId);
    if (record.state !== 'active') throw new HandoffConflictError(handoffId, record.state);
    if (record.agentId !== agent.id) throw new HandoffForbiddenError(handoffId);
    return record;
  }

  private async fail(record: HandoffRecord, reason: HandoffFailure): Promise<void> {
    const state = reason === 'timeout' ? 'timed_out' : 'no_agents';
    if (!(await this.options.store.transition(record.id, ['waiting'], state))) return;
    await this.options.store.audit(record.id, state, 'desk', reason);
    await this.emitState(record.id);
    await this.emitQueue();
    await this.deliver(() => this.link?.status({ state: 'failed', handoffId: record.id, reason }), record.id);
  }

  /** Tells every waiting user whose place changed where they are now, with the usual wait. */
  private async tellPositions(): Promise<void> {
    const { store } = this.options;
    const recent = await store.recentWaits(RECENT_HANDOFFS);
    const waiting = await store.waiting();
    for (const [i, record] of waiting.entries()) {
      const position = i + 1;
      if (record.toldPosition === position || !(await store.claimToldPosition(record.id, position))) continue;
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

  private async emitState(handoffId: string): Promise<HandoffView | undefined> {
    const record = await this.options.store.get(handoffId);
    if (!record) return undefined;
    const view = this.view(record);
    this.emit({ type: 'state', handoff: view });
    return view;
  }

  private async emitQueue(added?: string[]): Promise<void> {
    this.emit({ type: 'queue', waiting: await this.waiting(), ...(added ? { added } : {}) });
  }

  private emit(event: HandoffFeedEvent): void {
    this.feed.publish(event);
  }
}
