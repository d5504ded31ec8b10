import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { HandoffStore } from '../handoff-store';
import { closePassedOn, initiateValue } from './passed-on';
import type { InitiateValue } from './passed-on';
import { summaryText } from './summary-text';
import type { SummaryLabels } from './summary-text';

/** The channel id Dynamics 365 Contact Center (Omnichannel for Customer Service) uses for a bot it hosts. */
export const OMNICHANNEL = 'omnichannel';

export interface OmnichannelOptions {
  store: HandoffStore;
  labels: SummaryLabels;
}

/** The command Omnichannel reads from a message's `channelData.tags` (a JSON string), per Microsoft's bot guide. */
interface OmnichannelCommand {
  type: 'Escalate' | 'EndConversation';
  context: Record<string, string>;
}

/**
 * The hand-off when the bot runs as an agent inside Omnichannel for Customer
 * Service, as Microsoft's "Configure Azure bots to escalate and end
 * conversations" guide has it:
 * - the bot's `handoff.initiate` becomes the escalation: a message whose
 *   `channelData.tags` is `{"type":"Escalate","context":{...}}` and whose text
 *   is the summary (shown to the human agent only); Omnichannel routes the
 *   conversation by the context variables (handoffId, userName, firstMessage,
 *   fixesTried, devices, sizes);
 * - every message the customer should see carries `channelData.deliveryMode:
 *   "bridged"`;
 * - an `endOfConversation` the bot sends becomes the message tagged
 *   `{"type":"EndConversation","context":{}}`.
 * Other channels are untouched. Install it right before the hand-off relay.
 */
export class OmnichannelMiddleware implements Middleware {
  constructor(private readonly options: OmnichannelOptions) {
    if (!options.store) throw new Error('OmnichannelMiddleware needs "store"');
    if (!options.labels) throw new Error('OmnichannelMiddleware needs "labels"');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.channelId === OMNICHANNEL) {
      context.onSendActivities(async (_ctx, activities, send) => {
        for (const [i, activity] of activities.entries()) activities[i] = await this.reshape(activity);
        return send();
      });
    }
    await next();
  }

  private async reshape(activity: Partial<Activity>): Promise<Partial<Activity>> {
    const initiate = initiateValue(activity);
    if (initiate) {
      await closePassedOn(this.options.store, initiate.handoffId, OMNICHANNEL);
      return tagged(activity, summaryText(initiate.summary, this.options.labels), { type: 'Escalate', context: escalationContext(initiate) });
    }
    if (activity.type === 'endOfConversation') return tagged(activity, activity.text ?? '', { type: 'EndConversation', context: {} });
    if (activity.type === 'message') return { ...activity, channelData: { ...asObject(activity.channelData), deliveryMode: 'bridged' } };
    return activity;
  }
}

/** Omnichannel context variables (string values): what routing rules and the agent can use. */
function escalationContext({ handoffId, userName, summary }: InitiateValue): Record<string, string> {
  return {
    handoffId,
    userName,
    firstMessage: summary.firstMessage,
    fixesTried: summary.fixesTried.map((f) => f.title).join(', '),
    devices: summary.devices.join(', '),
    sizes: summary.sizes.join(', '),
  };
}

/** A message in the same conversation as `original`, carrying an Omnichannel command (not bridged: the customer does not see it). */
function tagged(original: Partial<Activity>, text: string, command: OmnichannelCommand): Partial<Activity> {
  const { conversation, from, recipient, serviceUrl, channelId, replyToId, locale } = original;
  return {
    type: 'message',
    ...(conversation ? { conversation } : {}),
    ...(from ? { from } : {}),
    ...(recipient ? { recipient } : {}),
    ...(serviceUrl ? { serviceUrl } : {}),
    ...(channelId ? { channelId } : {}),
    ...(replyToId ? { replyToId } : {}),
    ...(locale ? { locale } : {}),
    text,
    channelData: { tags: JSON.stringify(command) },
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
