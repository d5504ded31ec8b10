import type { ConversationState, Middleware, TurnContext } from 'botbuilder-core';
import { foldWords } from '../content/fold-words';

export interface DeleteMyDataOptions {
  /** Whole messages that ask for it ("delete my data"), folded like typed answers. */
  phrases: readonly string[];
  /** Deletes what this conversation's user wrote from every store that keeps it (transcripts, insights…). */
  erase: (context: TurnContext) => Promise<void>;
  conversationState: ConversationState;
  /** What the user is told afterwards. */
  reply: string;
}

/**
 * "delete my data": the user's stored messages are removed from every store
 * that keeps them, the conversation's state (which quotes typed answers for a
 * hand-off's summary) is dropped, and the user is told. Runs before the
 * dialogs and the hand-off relay, so it works at any point of a conversation.
 */
export class DeleteMyDataMiddleware implements Middleware {
  private readonly phrases: ReadonlySet<string>;

  constructor(private readonly o: DeleteMyDataOptions) {
    if (!o?.erase || !o.conversationState || !o.reply) throw new Error('DeleteMyDataMiddleware needs erase, conversationState and reply');
    this.phrases = new Set(o.phrases);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type !== 'message' || !this.phrases.has(foldWords(activity.text ?? ''))) return next();
    await this.o.erase(context);
    await this.o.conversationState.delete(context);
    await context.sendActivity(this.o.reply);
  }
}
