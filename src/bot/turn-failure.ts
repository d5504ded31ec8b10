import type { Middleware, TurnContext } from 'botbuilder-core';
import type { Logger } from '../log';

// Set on the turn when the channel refused one of the bot's replies.
const SEND_FAILED = Symbol('channelSendFailed');

/**
 * Notes when a reply could not be delivered to the channel (after its
 * retries with backoff, src/server/lean-connector.ts), so the error path
 * can tell a channel outage from a fault of the bot. Dialog code wraps errors on the way
 * up, so a mark on the turn is sturdier than inspecting the error.
 */
export class ChannelSendWatch implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.onSendActivities(async (_context, _activities, send) => {
      try {
        return await send();
      } catch (error) {
        context.turnState.set(SEND_FAILED, true);
        throw error;
      }
    });
    await next();
  }
}

export function channelRefusedReply(context: TurnContext): boolean {
  return context.turnState.get(SEND_FAILED) === true;
}

/**
 * A turn that did not complete: nothing of it was saved, so the conversation
 * is still where it was before the message. The HTTP route answers with a 5xx
 * so the channel may deliver the activity again.
 */
export class TurnNotCompletedError extends Error {
  constructor(
    readonly reason: 'channel-unavailable',
    options?: { cause?: unknown },
  ) {
    super('The turn could not be completed; the conversation is unchanged.', options);
    this.name = 'TurnNotCompletedError';
  }
}

export interface TurnErrorHandlerOptions {
  log: Logger;
  /** What the user is told when the bot itself failed; their progress is kept. */
  apology: string;
  /**
   * A shared store the turn needs (Redis) that could not be reached: the user
   * is told so, rather than the generic apology; their progress is kept.
   */
  storeDown?: { when: (error: unknown) => boolean; message: string };
}

/**
 * The one error path of a turn. State is saved only at the end of a turn
 * that succeeded, so a failed turn is rolled back by doing nothing: the
 * user's progress is never erased. A channel outage is passed back to the
 * channel (it cannot show an apology anyway); a fault of the bot gets an
 * apology saying that nothing was lost.
 */
export function createTurnErrorHandler({ log, apology, storeDown }: TurnErrorHandlerOptions) {
  if (!log || !apology) throw new Error('createTurnErrorHandler needs a log and an apology');
  return async (context: TurnContext, error: unknown): Promise<void> => {
    const { activity } = context;
    const where = { conversationId: activity.conversation?.id, channelId: activity.channelId, activityId: activity.id };
    if (channelRefusedReply(context)) {
      log.warn('turn not delivered: the channel refused a reply; the conversation is unchanged', { ...where, error: describe(error) });
      throw new TurnNotCompletedError('channel-unavailable', { cause: error });
    }
    const down = storeDown?.when(error) === true;
    if (down) log.warn('turn not processed: the shared store is unreachable; the conversation is unchanged', { ...where, error: describe(error) });
    else log.error('turn failed; the conversation is unchanged', { ...where, error: String((error as Error)?.stack ?? error) });
    try {
      await context.sendActivity(down ? storeDown!.message : apology);
    } catch (sendError) {
      log.warn('could not apologise: the channel refused the reply', { ...where, error: describe(sendError) });
      throw new TurnNotCompletedError('channel-unavailable', { cause: sendError });
    }
  };
}

/** The error's own message without a stack: enough to tell a 503 from a refused connection. */
function describe(error: unknown): string {
  const e = error as { message?: unknown; statusCode?: unknown; code?: unknown } | undefined;
  const status = e?.statusCode ?? e?.code;
  return `${status ? `${String(status)}: ` : ''}${String(e?.message ?? error)}`;
}
