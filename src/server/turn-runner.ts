import type { TurnContext } from 'botbuilder-core';
import { TurnNotCompletedError } from '../bot/turn-failure';
import type { Logger } from '../log';
import { assertActivityShape } from './activity-shape';
import type { BotEdgeAdapter, TurnAnswer } from './bot-framework-edge';
import { HttpError } from './http-error';
import type { Metrics } from './metrics';
import type { ServiceUrlPolicy } from './service-url-policy';
import type { TurnTracker } from './turn-tracker';

export interface TurnRunnerDeps {
  adapter: BotEdgeAdapter;
  /** Bot Framework auth on: the token's claims vouch for serviceUrl. */
  authOn: boolean;
  /** With auth off, where the bot may send replies. */
  serviceUrls: ServiceUrlPolicy;
  runTurn: (context: TurnContext) => Promise<void>;
  turns: TurnTracker;
  metrics: Metrics;
  log: Logger;
}

/** Runs one incoming activity as a turn; POST /api/messages and the built-in Direct Line both come here. */
export type TurnRunner = (body: Record<string, unknown>, authorization: string) => Promise<TurnAnswer>;

/**
 * What every turn gets, whichever way its activity arrived: the shape check,
 * where replies may go (with auth off), authentication, the bot, a place
 * among the turns shutdown waits for, and its metrics. A turn that saved
 * nothing is TURN_NOT_DELIVERED (502), so the channel may deliver the
 * activity again.
 */
export function createTurnRunner({ adapter, authOn, serviceUrls, runTurn, turns, metrics, log }: TurnRunnerDeps): TurnRunner {
  return async (body, authorization) => {
    assertActivityShape(body);
    const activity = body as { type: string; channelId: string; serviceUrl: string; id?: unknown; conversation: { id: string } };
    // With auth on, the token's claims vouch for serviceUrl; with it off, nothing does.
    if (!authOn && !serviceUrls.allows(activity.serviceUrl)) throw new HttpError('SERVICE_URL_NOT_ALLOWED');
    const started = process.hrtime.bigint();
    let outcome: 'ok' | 'failed' | 'refused' = 'failed';
    try {
      const answer = await turns.track(adapter.processIncoming(body, authorization, runTurn, log));
      outcome = answer.status < 500 ? 'ok' : 'failed';
      return answer;
    } catch (error) {
      if (error instanceof HttpError && error.code === 'BF_UNAUTHORIZED') outcome = 'refused';
      if (error instanceof TurnNotCompletedError) throw new HttpError('TURN_NOT_DELIVERED', undefined, { cause: error });
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (outcome !== 'refused') metrics.turn({ channelId: activity.channelId, type: activity.type, outcome, seconds });
      log.debug('turn', { conversationId: activity.conversation.id, channelId: activity.channelId, activityId: activity.id, type: activity.type, durationMs: Math.round(seconds * 1000), outcome });
    }
  };
}
