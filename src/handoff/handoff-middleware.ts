import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import type { Activity, Middleware, ResourceResponse } from 'botbuilder';
import type { Messages } from '../content/types';
import { readingOf } from '../dialogs/answers/answer-prompt';
import { buttonOption } from '../dialogs/answers/prompts';
import { recognizeAnswer } from '../dialogs/answers/recognize-answer';
import type { AnswerLexicon, PromptSpec } from '../dialogs/answers/recognize-answer';
import { messageWithButtons } from '../dialogs/choices';
import type { Replies } from '../dialogs/replies';
import { fill } from '../dialogs/text';
import { getTurnUnderstanding } from '../dialogs/turn-understanding';
import type { Logger } from '../log';
import type { AgentDesk } from './desk';
import type { HandoffCore } from './handoff-core';
import type { HandoffRecord, HandoffStore } from './handoff-store';
import { messageText } from './transcript-lines';

export interface HandoffMiddlewareOptions {
  core: HandoffCore;
  store: HandoffStore;
  desk: AgentDesk;
  messages: Messages;
  replies: Replies;
  lexicon: AnswerLexicon;
  /** The classifier's route threshold: a "cancel" read this surely leaves the queue. */
  route: number;
  log: Logger;
}

/**
 * The hand-off at the edge of the bot, both ways:
 * - outgoing, it takes the bot's `handoff.initiate` out of the reply and gives
 *   it to the desk, so no channel ever sees it;
 * - incoming, while the conversation is waiting for or held by an agent, the
 *   user's messages and typing go to the desk and the dialogs do not run (a
 *   waiting user may leave the queue; anything else they write is kept for the
 *   agent).
 */
export class HandoffMiddleware implements Middleware {
  private readonly leaveSpec: PromptSpec;

  constructor(private readonly options: HandoffMiddlewareOptions) {
    for (const key of ['core', 'store', 'desk', 'messages', 'replies', 'lexicon', 'log'] as const) {
      if (!options[key]) throw new Error(`HandoffMiddleware needs "${key}"`);
    }
    this.leaveSpec = { kind: 'handoff', options: [buttonOption(options.messages, 'handoff_leave')] };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.onSendActivities(async (_ctx, activities, send) => this.intercept(activities, send));
    const { activity } = context;
    const fromUser = (activity.type === 'message' || activity.type === 'typing') && activity.from?.role !== 'bot';
    const open = fromUser && activity.conversation?.id ? await this.options.store.openFor(activity.conversation.id) : undefined;
    if (!open) return next();
    await this.relay(context, open);
  }

  private async intercept(activities: Partial<Activity>[], send: () => Promise<ResourceResponse[]>): Promise<ResourceResponse[]> {
    const requests = await Promise.all(activities.map((a) => this.options.core.requestFrom(a)));
    if (requests.every((r) => r === undefined)) return send();
    for (const request of requests) {
      if (!request) continue;
      // Not awaited: the desk answers with handoff.status turns of this conversation, which wait for this turn to end.
      this.options.desk.initiate(request).catch((error: unknown) => {
        this.options.log.error('the agent desk refused a hand-off request', { handoffId: request.handoffId, error: String((error as Error)?.stack ?? error) });
        void this.options.core.status({ state: 'failed', handoffId: request.handoffId, reason: 'no_agents' }).catch(() => undefined);
      });
    }
    const kept = activities.filter((_a, i) => requests[i] === undefined);
    const sent = kept.length > 0 ? await (activities.splice(0, activities.length, ...kept), send()) : [];
    let k = 0;
    return requests.map((r) => (r ? { id: `handoff-${randomUUID()}` } : (sent[k++] ?? { id: '' })));
  }

  private async relay(context: TurnContext, open: HandoffRecord): Promise<void> {
    const { store, desk, messages } = this.options;
    const { activity } = context;
    // The user may have come back on a new connection: proactive messages follow them.
    await store.setReference(open.id, TurnContext.getConversationReference(activity));
    if (activity.type === 'typing') {
      if (open.state === 'active') await desk.userTyping(open.id);
      return;
    }
    if (open.state === 'waiting' && this.wantsToLeave(context)) {
      if (await store.transition(open.id, ['waiting'], 'left')) await store.audit(open.id, 'left', 'user');
      await desk.userLeft(open.id);
      await this.options.replies.menu(context, messages.text.handoff_left);
      return;
    }
    const text = messageText(activity) || (activity.value !== undefined ? JSON.stringify(activity.value).slice(0, 2000) : '');
    await desk.fromUser(open.id, { from: 'user', text, at: new Date(activity.timestamp ?? Date.now()).toISOString() });
    if (open.state === 'waiting') {
      const position = (await store.waiting()).findIndex((r) => r.id === open.id) + 1;
      await context.sendActivity(messageWithButtons(activity.channelId, fill(messages.text.handoff_still_waiting, { position }), [messages.text.handoff_leave]));
    }
  }

  private wantsToLeave(context: TurnContext): boolean {
    if (recognizeAnswer(this.leaveSpec, readingOf(context), this.options.lexicon).kind === 'option') return true;
    const intent = getTurnUnderstanding(context)?.intent;
    return intent?.name === 'cancel' && intent.confidence >= this.options.route;
  }
}
