import { ActivityTypes } from 'botbuilder-core';
import type { Middleware, TurnContext } from 'botbuilder-core';
import { answeredCard } from './adaptive-choice-card';
import { isTeams, PROMPT_FIELD, submittedText } from './teams-activity';

/**
 * When a card button is pressed, redraws that card (`replyToId`) showing the
 * answer and no buttons, so the transcript shows what the user chose and old
 * steps cannot be answered again. Runs after de-duplication; a failed update
 * only leaves the old card as it was, so it never fails the turn.
 */
export class AnsweredCardMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    const prompt = (activity.value as Record<string, unknown> | undefined)?.[PROMPT_FIELD];
    const answer = submittedText({ ...activity, text: '' });
    if (isTeams(activity) && activity.replyToId && typeof prompt === 'string' && answer) {
      await context
        .updateActivity({ id: activity.replyToId, type: ActivityTypes.Message, attachments: [answeredCard(prompt, answer)] })
        .catch(() => undefined);
    }
    await next();
  }
}
