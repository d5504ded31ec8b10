import type { TurnContext } from 'botbuilder-core';
import type { ParseResult } from '../nlu/types';

// The bot parses each message once; dialogs read the result from turn state.
const KEY = Symbol('turnUnderstanding');

export function setTurnUnderstanding(context: TurnContext, parse: ParseResult): void {
  context.turnState.set(KEY, parse);
}

export function getTurnUnderstanding(context: TurnContext): ParseResult | undefined {
  return context.turnState.get(KEY) as ParseResult | undefined;
}
