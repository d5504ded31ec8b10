import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { HandoffStore } from '../handoff-store';
import { closePassedOn, initiateValue } from './passed-on';
import type { InitiateValue } from './passed-on';
import { summaryText } from './summary-text';
import type { SummaryLabels } from './summary-text';

/** Direct Line's channel id: the only channel the pass-through ever applies to (never Teams, never Omnichannel). */
export const DIRECT_LINE = 'directline';

export interface DirectLinePassthroughOptions {
  store: HandoffStore;
  labels: SummaryLabels;
}

/** The context keys Copilot Studio puts on its own `handoff.initiate`, which contact-centre adapters read. */
export interface CopilotContextKeys {
  /** The topic the conversation was in when it escalated: the last fix tried, or empty. */
  va_LastTopic: string;
  /** The message for the agent: the summary as text. */
  va_AgentMessage: string;
  /** The user's language (the activity's locale). */
  va_Language: string;
}

/**
 * HANDOFF_PASSTHROUGH=directline, for a contact centre that runs the bot as
 * an agent behind Direct Line: the bot's `handoff.initiate` goes on to the
 * Direct Line client as the core made it (its handoffId / userName / summary
 * value and the transcript attachment), with Copilot Studio's va_* keys
 * added to the value; the client's contact centre takes the conversation
 * from there. It is sent straight to the adapter, so the relay installed
 * after this middleware does not take it for the bot's own desk. On any
 * other channel (Teams above all) nothing changes.
 */
export class DirectLinePassthrough implements Middleware {
  constructor(private readonly options: DirectLinePassthroughOptions) {
    if (!options.store) throw new Error('DirectLinePassthrough needs "store"');
    if (!options.labels) throw new Error('DirectLinePassthrough needs "labels"');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.channelId === DIRECT_LINE) {
      context.onSendActivities(async (ctx, activities, send) => this.passOn(ctx, activities, send));
    }
    await next();
  }

  private async passOn(context: TurnContext, activities: Partial<Activity>[], send: () => Promise<ResourceResponse[]>): Promise<ResourceResponse[]> {
    const initiates = activities.map((a) => initiateValue(a));
    if (initiates.every((v) => v === undefined)) return send();
    const locale = context.activity.locale || 'en-us';
    const events = activities.flatMap((a, i) => {
      const value = initiates[i];
      return value ? [{ ...a, value: { ...value, ...this.copilotKeys(value, locale) } }] : [];
    });
    const passed = await context.adapter.sendActivities(context, events);
    for (const value of initiates) if (value) await closePassedOn(this.options.store, value.handoffId, DIRECT_LINE);
    const kept = activities.filter((_a, i) => initiates[i] === undefined);
    const sent = kept.length > 0 ? await (activities.splice(0, activities.length, ...kept), send()) : [];
    let [p, k] = [0, 0];
    return initiates.map((v) => (v ? passed[p++] : sent[k++]) ?? { id: '' });
  }

  private copilotKeys({ summary }: InitiateValue, locale: string): CopilotContextKeys {
    return {
      va_LastTopic: summary.fixesTried.at(-1)?.title ?? '',
      va_AgentMessage: summaryText(summary, this.options.labels),
      va_Language: locale,
    };
  }
}
