import { ActivityTypes, TurnContext } from 'botbuilder-core';
import type { Activity, Middleware } from 'botbuilder-core';
import { isTeams, teamsConversationType } from './teams-activity';

/** Teams hides the typing indicator after a few seconds; resend it this often while a turn runs. */
const TYPING_REPEAT_MS = 3000;

/**
 * Shows "typing…" in Teams personal and group chats from the moment a message
 * arrives until the bot has answered (Teams shows no indicator in channels).
 * Unlike botbuilder's ShowTypingMiddleware it sends the first one at once, so
 * it always comes before the reply. It goes through the adapter, not
 * `context.sendActivity`, so the turn does not count as answered.
 */
export class TeamsTypingMiddleware implements Middleware {
  constructor(
    private readonly repeatMs = TYPING_REPEAT_MS,
    /** True while the bot will not answer this conversation (a person holds it): "typing…" would be a lie. */
    private readonly botIsQuiet: (conversationId: string) => boolean | Promise<boolean> = () => false,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (!isTeams(activity) || activity.type !== ActivityTypes.Message || teamsConversationType(activity) === 'channel' || (await this.botIsQuiet(activity.conversation?.id ?? ''))) {
      return next();
    }
    await sendTyping(context);
    const timer = setInterval(() => void sendTyping(context), this.repeatMs);
    try {
      await next();
    } finally {
      clearInterval(timer);
    }
  }
}

async function sendTyping(context: TurnContext): Promise<void> {
  const typing = TurnContext.applyConversationReference(
    { type: ActivityTypes.Typing } as Partial<Activity>,
    TurnContext.getConversationReference(context.activity),
  );
  try {
    await context.adapter.sendActivities(context, [typing]);
  } catch {
    // A lost typing indicator is cosmetic; it must not fail the user's turn.
  }
}
