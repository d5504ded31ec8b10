import { ActivityTypes, TurnContext } from 'botbuilder-core';
import type { Middleware } from 'botbuilder-core';
import { isSharedConversation, isTeams, mentionsRecipient, submittedText } from './teams-activity';

/**
 * In Teams group chats and channels the bot speaks only when spoken to: a
 * message that does not @mention it is dropped (a bot with RSC permissions
 * would otherwise answer every message), and the mention is cut from the
 * text so understanding sees only what the user asked. Card button presses
 * carry no mention but are addressed to the bot, so they pass.
 */
export class TeamsMentionMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (!isTeams(activity) || activity.type !== ActivityTypes.Message) return next();
    if (mentionsRecipient(activity)) {
      TurnContext.removeRecipientMention(activity);
      activity.text = (activity.text ?? '').trim();
      return next();
    }
    if (isSharedConversation(activity) && submittedText(activity) === undefined) return;
    return next();
  }
}
