import type { Middleware, TurnContext } from 'botbuilder-core';
import type { BotEventListener } from '../bot/bot-events';
import type { CsatPort } from '../dialogs/csat-dialog';
import type { InsightsStore } from './insights-store';

/** How insights name a conversation: channel and conversation id. */
export function conversationKey(context: TurnContext): string {
  return `${context.activity.channelId}:${context.activity.conversation?.id ?? ''}`;
}

const PENDING = Symbol('insights.pending');

/** One of the turn's writes, made once the turn has completed. */
type Write = (conversation: string) => Promise<unknown>;

export interface InsightsRecorder {
  /** Subscribed to the bot's events. */
  listener: BotEventListener;
  /** Where the dialogs put ratings. */
  csat: CsatPort;
  /**
   * Around the turn: what the turn reported is written once the turn has
   * completed, so a failed turn (rolled back, retried by the channel) leaves
   * no half-recorded journey behind.
   */
  middleware: Middleware;
}

/** Turns the bot's events into the insights store's events, ratings and inbox items. */
export function createInsightsRecorder(store: InsightsStore, onError: (error: unknown) => void = () => undefined): InsightsRecorder {
  const later = (context: TurnContext, write: Write): void => {
    let pending = context.turnState.get(PENDING) as Write[] | undefined;
    if (!pending) {
      pending = [];
      context.turnState.set(PENDING, pending);
    }
    pending.push(write);
  };
  return {
    listener: {
      fixStarted: (c, fix) => later(c, (conversation) => store.record({ conversation, kind: 'fix_started', fix })),
      stepReached: (c, fix, step) => later(c, (conversation) => store.record({ conversation, kind: 'step_reached', fix, step })),
      cantFind: (c, fix, step) => later(c, (conversation) => store.record({ conversation, kind: 'cant_find', fix, step })),
      fixFinished: (c, fix, solved) => later(c, (conversation) => store.record({ conversation, kind: solved ? 'resolved' : 'fix_failed', fix })),
      escalated: (c) => later(c, (conversation) => store.record({ conversation, kind: 'escalated' })),
      handedOff: (c) => later(c, (conversation) => store.record({ conversation, kind: 'handed_off' })),
      outOfScope: (c) => later(c, (conversation) => store.record({ conversation, kind: 'out_of_scope' })),
      android: (c) => later(c, (conversation) => store.record({ conversation, kind: 'android' })),
      understanding: (c, u) =>
        later(c, (conversation) => {
          const readings = u.readings.map(({ name, confidence }) => ({ name, confidence }));
          return u.outcome === 'rephrased'
            ? store.markRephrased(conversation, readings)
            : store.addToInbox({ conversation, text: u.text, reason: u.outcome === 'clarify' ? 'below_route' : 'fallback', readings });
        }),
    },
    csat: {
      rate: (c, score, after) => later(c, (conversation) => store.recordCsat({ conversation, score, after })),
      comment: (c, text) => later(c, (conversation) => store.commentCsat(conversation, text)),
      // Now, not after the turn: the question is about to be put, and another instance must not put it too.
      // Claimed for the activity being answered: the same turn run again (after a state conflict, or
      // redelivered when its replies did not get through) still puts it.
      // A store that fails means no question, never a failed turn.
      claim: (c) =>
        store.claimCsatQuestion(conversationKey(c), { by: typeof c.activity.id === 'string' ? c.activity.id : undefined }).catch((error: unknown) => {
          onError(error);
          return false;
        }),
    },
    middleware: {
      async onTurn(context, next) {
        await next();
        const pending = context.turnState.get(PENDING) as Write[] | undefined;
        if (!pending?.length) return;
        const conversation = conversationKey(context);
        // Started in the order reported (a rating before its comment, a fallback before its rephrasing): each store
        // issues its statement or command when called, so the order holds; awaited together, so the turn's events
        // share one commit. Insights must never fail the user's turn.
        for (const result of await Promise.allSettled(pending.map((write) => write(conversation)))) {
          if (result.status === 'rejected') onError(result.reason);
        }
      },
    },
  };
}
