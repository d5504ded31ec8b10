import { ActivityTypes } from 'botbuilder-core';
import type { Middleware, TurnContext } from 'botbuilder-core';
import type { Nlu } from '../nlu/types';
import { setTurnUnderstanding } from '../dialogs/turn-understanding';

/** Parses each message once per turn; routing, interruptions and checks all read this one result. */
export class UnderstandingMiddleware implements Middleware {
  constructor(private readonly nlu: Nlu) {
    if (!nlu) throw new Error('UnderstandingMiddleware needs an Nlu');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Message && typeof activity.text === 'string') {
      setTurnUnderstanding(context, this.nlu.parse(activity.text));
    }
    await next();
  }
}
