import type { IncomingMessage } from 'node:http';
import { ActivityEx, CloudAdapter } from 'botbuilder';
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import type { Logger } from '../log';
import { HttpError } from './http-error';

/** What to answer the channel: 200, or an invoke's own status and body. */
export interface TurnAnswer {
  status: number;
  body?: unknown;
}

/** A JWT is three base64url parts; anything else cannot be a Bot Framework token. */
const BEARER_JWT = /^Bearer\s+[\w-]+\.[\w-]+\.[\w-]*\s*$/i;

/**
 * The botbuilder-specific half of POST /api/messages, in one place. It does
 * what `CloudAdapter.process` does, but authenticates first and answers
 * every authentication failure, whatever its cause (a forged token, signing
 * keys that cannot be fetched), with 401: `process` answered those 500 with
 * the SDK's error text. The rest (connector, middleware, turn) is the SDK's.
 */
export class BotEdgeAdapter extends CloudAdapter {
  /**
   * Before the body is read: with auth on, a request without a well-formed
   * bearer JWT cannot be authentic, so it costs no more than its headers.
   */
  static assertBearerPresent(req: IncomingMessage): void {
    if (!BEARER_JWT.test(req.headers.authorization ?? '')) throw new HttpError('BF_UNAUTHORIZED');
  }

  /**
   * Runs a turn the bot starts itself in a stored conversation (proactive):
   * `activity` (an event, e.g. a desk's `handoff.status`) on top of the
   * conversation's continuation activity, through the same middleware as any
   * turn. Replies go to the reference's serviceUrl with the bot's own credentials.
   */
  async runInConversation(botAppId: string, reference: Partial<ConversationReference>, activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const continuation = ActivityEx.getContinuationActivity(reference);
    await this.processProactive(this.createClaimsIdentity(botAppId), { ...continuation, ...activity, conversation: continuation.conversation, serviceUrl: continuation.serviceUrl, channelId: continuation.channelId }, undefined, logic);
  }

  /** Authenticates the activity (401 on any failure, detail logged) and runs its turn through the middleware. */
  async processIncoming(body: Record<string, unknown>, authHeader: string, logic: (context: TurnContext) => Promise<void>, log: Logger): Promise<TurnAnswer> {
    const activity = validateAndFixActivity(body as unknown as Activity);
    let authenticated: Awaited<ReturnType<typeof this.botFrameworkAuthentication.authenticateRequest>>;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (error) {
      log.warn('bot framework token refused', {
        conversationId: activity.conversation?.id,
        channelId: activity.channelId,
        activityId: activity.id,
        error: String((error as Error)?.message ?? error),
      });
      throw new HttpError('BF_UNAUTHORIZED', undefined, { cause: error });
    }
    const invoke = await this.processActivity(authenticated, activity, logic);
    return invoke ? { status: invoke.status, body: invoke.body } : { status: 200 };
  }
}
