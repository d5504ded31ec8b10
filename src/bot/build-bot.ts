import type { ConversationState, Middleware, Storage, TurnContext, UserState } from 'botbuilder';
import type { CsatPort } from '../dialogs/csat-dialog';
import { DeleteMyDataMiddleware } from '../privacy/delete-my-data';
import type { DialogState } from 'botbuilder-dialogs';
import type { Content } from '../content/types';
import { FixJournal, MainDialog } from '../dialogs';
import type { ConversationProgress, HandoffPort, JournalFix, StepChecks, Thresholds, UserHistory } from '../dialogs';
import type { Nlu } from '../nlu/types';
import { teamsMiddleware } from '../channels/teams';
import { IGNORED_BOT_EVENTS } from './bot-events';
import type { BotEvents } from './bot-events';
import { TroubleshootingBot } from './troubleshooting-bot';
import { ChannelSendWatch } from './turn-failure';
import { TurnOrderMiddleware } from './turn-order-middleware';
import type { ConversationLock } from './conversation-lock';
import { GuardedConversationState, GuardedUserState } from './guarded-state';
import { StateRetry } from './state-retry';
import { UnderstandingMiddleware } from './understanding-middleware';

export interface BuildBotOptions {
  content: Content;
  checks: StepChecks;
  nlu: Nlu;
  thresholds: Thresholds;
  storage: Storage;
  /** Where fix outcomes and escalations are reported (metrics); ignored when not given. */
  events?: BotEvents;
  /**
   * The hand-off to a person: the dialogs' port, the middleware (transcript, relay) that runs last, and the
   * agents' own (Teams agents), which runs right after de-duplication.
   */
  handoff?: {
    port: HandoffPort;
    middleware: Middleware[];
    agentMiddleware?: Middleware[];
    /** Whether a person holds or awaits the conversation (the bot keeps out, Teams' typing indicator too). */
    holds: (conversationId: string) => boolean;
  };
  insights?: InsightsWiring;
  /** One turn of a conversation at a time (default: in this process; several instances share a Redis one). */
  lock?: ConversationLock;
  /** Told when a turn is run again because its state was written by someone else meanwhile. */
  onStateRetry?: (info: { key: string; attempt: number }) => void;
}

/** Insights: the recorder around each turn and where ratings go (both absent when insights are off), and what "delete my data" erases. */
export interface InsightsWiring {
  recorder?: Middleware;
  csat?: CsatPort;
  erase: (context: TurnContext) => Promise<void>;
}

export interface BuiltBot {
  bot: TroubleshootingBot;
  /** To install on the adapter, in this order. */
  middleware: Middleware[];
  conversationState: ConversationState;
  userState: UserState;
}

/**
 * Wires the bot independent of any adapter, so the HTTP server and the
 * tests' in-memory adapter run exactly the same bot. State accessors are
 * made here, once.
 */
export function buildBot({ content, checks, nlu, thresholds, storage, events = IGNORED_BOT_EVENTS, handoff, insights, lock, onStateRetry }: BuildBotOptions): BuiltBot {
  // Writes carry the eTag the turn read: a stale turn fails instead of overwriting, and runs again (StateRetry).
  const conversationState = new GuardedConversationState(storage);
  const userState = new GuardedUserState(storage);
  const retry = new StateRetry({ states: [conversationState, userState], ...(onStateRetry ? { onRetry: onStateRetry } : {}) });
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const progress = conversationState.createProperty<ConversationProgress>('progress');
  const recentIds = conversationState.createProperty<string[]>('recentActivityIds');
  const history = userState.createProperty<UserHistory>('history');
  const welcomed = conversationState.createProperty<boolean>('welcomed');

  const journal = new FixJournal(conversationState.createProperty<JournalFix[]>('journal'), content.messages);

  const csat = insights?.csat ? { port: insights.csat, asked: conversationState.createProperty<boolean>('csatAsked') } : undefined;
  const dialog = new MainDialog({ content, checks, thresholds, progress, history, events, journal, ...(handoff ? { handoff: handoff.port } : {}), ...(csat ? { csat } : {}) });
  const bot = new TroubleshootingBot({ conversationState, userState, dialog, dialogState, welcomed });
  const teams = teamsMiddleware(handoff ? { botIsQuiet: handoff.holds } : {});
  return {
    bot,
    // Failed sends noticed around everything; Teams' reshaping first, its effects after de-duplication, understanding,
    // then the hand-off's (it reads the understanding to spot "leave the queue", and keeps the dialogs out while an agent talks).
    middleware: [
      new ChannelSendWatch(),
      ...teams.incoming,
      new TurnOrderMiddleware(recentIds, lock, retry),
      // Insights are written once the rest of the turn has completed; "delete my data" comes before any relay or dialog.
      ...(insights
        ? [...(insights.recorder ? [insights.recorder] : []), new DeleteMyDataMiddleware({ phrases: content.messages.deleteDataPhrases, erase: insights.erase, conversationState, reply: content.messages.text.data_deleted })]
        : []),
      ...(handoff?.agentMiddleware ?? []),
      ...teams.turn,
      new UnderstandingMiddleware(nlu),
      ...(handoff?.middleware ?? []),
    ],
    conversationState,
    userState,
  };
}
