import type { Middleware, TurnContext } from 'botbuilder-core';
import { isTeams, submittedText } from './teams-activity';

/**
 * An Adaptive Card button press arrives as a message with the button's data in
 * `value` and no text. Copying the answer into `text` before understanding
 * runs lets every prompt (and the NLU) treat it like a typed answer.
 */
export class CardSubmitMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (isTeams(activity)) {
      const text = submittedText(activity);
      if (text !== undefined) activity.text = text;
    }
    await next();
  }
}
