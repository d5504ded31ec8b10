import type { Middleware } from 'botbuilder-core';
import { AnsweredCardMiddleware } from './answered-card-middleware';
import { CardSubmitMiddleware } from './card-submit-middleware';
import { TeamsCardRenderingMiddleware } from './card-rendering-middleware';
import { TeamsMentionMiddleware } from './mention-middleware';
import { TeamsTypingMiddleware } from './typing-middleware';

export { isTeamsArrival } from './welcome-policy';
export { isTeams, teamsConversationType, SUBMIT_FIELD } from './teams-activity';
export { choiceCardAsAdaptiveCard, ADAPTIVE_CARD_VERSION, MAX_TEAMS_CARD_ACTIONS } from './adaptive-choice-card';

/**
 * Teams middleware, split by where it must sit: `incoming` only reshapes the
 * activity (drop un-mentioned group messages, strip the mention, button data
 * to text) and runs first; `turn` has effects (typing, redrawing an answered
 * card, card rendering) and
 * runs after de-duplication, so a retried activity triggers nothing.
 * Every one is a no-op on other channels.
 */
export function teamsMiddleware(options: { botIsQuiet?: (conversationId: string) => boolean | Promise<boolean> } = {}): { incoming: Middleware[]; turn: Middleware[] } {
  return {
    incoming: [new TeamsMentionMiddleware(), new CardSubmitMiddleware()],
    turn: [new TeamsTypingMiddleware(undefined, options.botIsQuiet), new AnsweredCardMiddleware(), new TeamsCardRenderingMiddleware()],
  };
}
