import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder-core';

/** How many recent activity ids a conversation remembers to spot a channel's retry. */
const REMEMBERED_IDS = 50;

/**
 * Processes the turns of one conversation one at a time, in arrival order
 * (two quick messages must not race over the same stored state), and drops an
 * activity whose id this conversation has already processed: channels such as
 * Teams resend a request they think went unanswered.
 */
export class TurnOrderMiddleware implements Middleware {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly recentIds: StatePropertyAccessor<string[]>) {
    if (!recentIds) throw new Error('TurnOrderMiddleware needs a state accessor for recent activity ids');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const current = previous.then(() => this.once(context, next));
    // The chain must go on even if this turn fails; the failure still reaches the adapter.
    const settled = current.catch(() => undefined);
    this.queues.set(key, settled);
    try {
      await current;
    } finally {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    }
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
