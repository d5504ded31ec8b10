import type { Middleware, TurnContext } from 'botbuilder-core';
import { choiceCardAsAdaptiveCard } from './adaptive-choice-card';
import { isTeams } from './teams-activity';

/**
 * Rewrites outgoing choice cards as Adaptive Cards on Teams, at the edge, so
 * the dialogs keep using botbuilder's channel-neutral choice rendering.
 */
export class TeamsCardRenderingMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (isTeams(context.activity)) {
      context.onSendActivities(async (_context, activities, send) => {
        for (const activity of activities) {
          if (!activity.attachments?.length) continue;
          activity.attachments = activity.attachments.map((a) => choiceCardAsAdaptiveCard(a) ?? a);
        }
        return send();
      });
    }
    await next();
  }
}
