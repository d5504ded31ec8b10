import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder-core';
import { InProcessConversationLock } from './conversation-lock';
import type { ConversationLock } from './conversation-lock';
import type { StateRetry } from './state-retry';

/** How many recent activity ids a conversation remembers to spot a channel's retry. */
const REMEMBERED_IDS = 50;

/**
 * Processes the turns of one conversation one at a time, in arrival order
 * (through the conversation lock: in-process, or shared by several instances),
 * and drops an activity whose id this conversation has already processed:
 * channels such as Teams resend a request they think went unanswered. The
 * ids live in the conversation's state, so they are remembered only when the
 * turn's state is saved (a failed turn's retry is processed again) and they
 * are shared wherever the state is. With a `StateRetry` (eTag-guarded state),
 * a turn whose state turned out stale runs again, and reads the ids again:
 * an activity another instance has processed meanwhile is then dropped.
 */
export class TurnOrderMiddleware implements Middleware {
  constructor(
    private readonly recentIds: StatePropertyAccessor<string[]>,
    private readonly lock: ConversationLock = new InProcessConversationLock(),
    private readonly retry?: StateRetry,
  ) {
    if (!recentIds) throw new Error('TurnOrderMiddleware needs a state accessor for recent activity ids');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;
    const retry = this.retry;
    await this.lock.run(key, () => (retry ? retry.run(context, () => this.once(context, next)) : this.once(context, next)));
  }

  private async once(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const id = context.activity.id;
    if (!id) return next();
    const seen = await this.recentIds.get(context, []);
    if (seen.includes(id)) return;
    seen.push(id);
    if (seen.length > REMEMBERED_IDS) seen.splice(0, seen.length - REMEMBERED_IDS);
    await next();
  }
}
