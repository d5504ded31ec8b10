import { EventFactory, HandoffEventNames, TurnContext } from 'botbuilder';
import type { Activity, ConversationReference } from 'botbuilder';
import type { HandoffPort, HandoffStatus, JournalFix } from '../dialogs';
import type { Logger } from '../log';
import type { Nlu } from '../nlu/types';
import type { TranscriptArchive } from '../storage/transcript-archive';
import type { AgentDesk, DeskLink, HandoffRequest, HandoffStatusValue } from './desk';
import type { HandoffStore } from './handoff-store';
import { buildSummary } from './summary';
import { transcriptLines } from './transcript-lines';
import type { AgentMessageData } from './transcript-lines';
import type { HandoffSummary } from './types';

/** What the `handoff.initiate` event's handoffContext carries. */
export interface InitiateContext {
  handoffId: string;
  userName: string;
  summary: HandoffSummary;
}

/** Runs a turn the bot starts itself in a stored conversation (the adapter's proactive path). */
export type ConversationRunner = (reference: Partial<ConversationReference>, activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export interface HandoffCoreOptions {
  store: HandoffStore;
  transcripts: TranscriptArchive;
  desk: AgentDesk;
  nlu: Nlu;
  /** SUPPORT_HOURS as written, for telling users. */
  supportHours: string;
  log: Logger;
}

// Set on a turn the core itself started to deliver a desk's status: a handoff.status event from a channel
// (a Direct Line client can send events) never has it, so users cannot end or accept hand-offs themselves.
const FROM_DESK = Symbol('handoffStatusFromDesk');

/**
 * The core of the hand-off, between the dialogs and the desk: it asks for a
 * person with `handoff.initiate` (summary and transcript attached), applies
 * the desk's `handoff.status` answers to the hand-off record, and carries the
 * desk's statuses and agent messages into the user's conversation through
 * the adapter.
 */
export class HandoffCore implements HandoffPort, DeskLink {
  private runner?: { run: ConversationRunner; runTurn: (context: TurnContext) => Promise<void> };

  constructor(private readonly options: HandoffCoreOptions) {
    for (const key of ['store', 'transcripts', 'desk', 'nlu', 'log'] as const) {
      if (!options[key]) throw new Error(`HandoffCore needs "${key}"`);
    }
  }

  /** Once the adapter and the bot exist: how to reach a conversation, and the bot's turn logic. */
  attach(run: ConversationRunner, runTurn: (context: TurnContext) => Promise<void>): void {
    this.runner = { run, runTurn };
  }

  // --- HandoffPort (the dialogs' side) ---

  async request(context: TurnContext, journal: JournalFix[]): Promise<void> {
    const { store, transcripts, nlu } = this.options;
    const { activity } = context;
    const conversationId = activity.conversation.id;
    if (await store.openFor(conversationId)) return;
    // The logger stores this turn's activities when the turn ends, so the current message is added here.
    const activities = [...(await transcripts.activities(conversationId)), { ...activity, from: { ...activity.from, role: 'user' } } as Activity];
    const summary = buildSummary(journal, transcriptLines(activities), nlu, activity.channelId);
    const userName = activity.from?.name?.trim() || 'Guest';
    const record = await store.create({ conversationId, channelId: activity.channelId, userName, summary, reference: TurnContext.getConversationReference(activity) });
    const initiate = EventFactory.createHandoffInitiation<InitiateContext>(context, { handoffId: record.id, userName, summary }, { activities });
    // Intercepted by the hand-off middleware: it never reaches a channel (Teams would answer it 400).
    await context.sendActivity(initiate);
  }

  async apply(context: TurnContext, status: HandoffStatus): Promise<boolean> {
    if (context.turnState.get(FROM_DESK) !== true) return false;
    const { store } = this.options;
    const record = await store.get(status.handoffId);
    if (!record || record.conversationId !== context.activity.conversation?.id) return false;
    switch (status.state) {
      case 'queued':
        return record.state === 'waiting';
      case 'accepted':
        await store.transition(record.id, ['waiting'], 'active', { agentName: status.agentName });
        return (await store.get(record.id))?.state === 'active';
      case 'failed':
        await store.transition(record.id, ['waiting'], status.reason === 'timeout' ? 'timed_out' : 'no_agents');
        return ['timed_out', 'no_agents'].includes((await store.get(record.id))?.state ?? '');
      case 'completed':
        await store.transition(record.id, ['active'], 'ended');
        return (await store.get(record.id))?.state === 'ended';
    }
  }

  async agentName(handoffId: string): Promise<string> {
    return (await this.options.store.get(handoffId))?.agentName ?? '';
  }

  async recordOutcome(handoffId: string, solved: boolean): Promise<void> {
    const outcome = solved ? 'solved' : 'not solved';
    await this.options.store.setOutcome(handoffId, outcome);
    await this.options.store.audit(handoffId, 'outcome', 'user', outcome);
  }

  async leaveMessage(handoffId: string, text: string): Promise<void> {
    await this.options.store.setLeftMessage(handoffId, text);
    await this.options.store.audit(handoffId, 'message_left', 'user');
    await this.options.desk.messageLeft(handoffId, text);
  }

  supportHours(): string {
    return this.options.supportHours;
  }

  // --- DeskLink (the desk's side) ---

  async status(value: HandoffStatusValue): Promise<void> {
    const record = await this.options.store.get(value.handoffId);
    if (!record) return;
    const runner = this.attached();
    const event = EventFactory.createHandoffStatus(record.reference.conversation!, value.state, value.message);
    event.value = value;
    await runner.run(record.reference, event, async (context) => {
      context.turnState.set(FROM_DESK, true);
      await runner.runTurn(context);
    });
  }

  async toUser(handoffId: string, text: string, agentName: string): Promise<void> {
    const record = await this.options.store.get(handoffId);
    if (!record) return;
    await this.attached().run(record.reference, {}, async (context) => {
      await context.sendActivity({ type: 'message', text, textFormat: 'plain', channelData: { handoff: { agentName } } satisfies AgentMessageData });
    });
  }

  async typingToUser(handoffId: string): Promise<void> {
    const record = await this.options.store.get(handoffId);
    if (!record) return;
    await this.attached().run(record.reference, {}, async (context) => {
      await context.sendActivity({ type: 'typing' });
    });
  }

  /** The desk request a `handoff.initiate` event stands for (the middleware calls this on interception). */
  async requestFrom(event: Partial<Activity>): Promise<HandoffRequest | undefined> {
    if (event.type !== 'event' || event.name !== HandoffEventNames.InitiateHandoff) return undefined;
    const context = event.value as Partial<InitiateContext> | undefined;
    const record = context?.handoffId ? await this.options.store.get(context.handoffId) : undefined;
    if (!record) return undefined;
    const transcript = (event.attachments ?? []).flatMap((a) => ((a.content as { activities?: Activity[] } | undefined)?.activities ?? []));
    return {
      handoffId: record.id,
      conversationId: record.conversationId,
      channelId: record.channelId,
      userName: record.userName,
      summary: record.summary,
      transcript: transcriptLines(transcript),
    };
  }

  private attached(): NonNullable<HandoffCore['runner']> {
    if (!this.runner) throw new Error('HandoffCore: attach() the adapter before the desk answers');
    return this.runner;
  }
}
