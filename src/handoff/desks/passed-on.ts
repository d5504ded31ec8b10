import { HandoffEventNames } from 'botbuilder';
import type { Activity } from 'botbuilder';
import type { HandoffStore } from '../handoff-store';
import type { HandoffSummary } from '../types';

/** The `value` the core puts on its `handoff.initiate` (InitiateContext), as read back from an outgoing activity. */
export interface InitiateValue {
  handoffId: string;
  userName: string;
  summary: HandoffSummary;
}

/** The core's `handoff.initiate` event, if `activity` is one. */
export function initiateValue(activity: Partial<Activity>): InitiateValue | undefined {
  if (activity.type !== 'event' || activity.name !== HandoffEventNames.InitiateHandoff) return undefined;
  const value = activity.value as Partial<InitiateValue> | undefined;
  if (typeof value?.handoffId !== 'string' || typeof value.summary !== 'object' || value.summary === null) return undefined;
  return value as InitiateValue;
}

/**
 * The hand-off left the bot with the channel (Omnichannel's escalation, a
 * Direct Line contact centre): the channel's own agents have the
 * conversation now, so the bot's record is closed at once and the bot
 * answers normally if the user ever writes to it again.
 */
export async function closePassedOn(store: HandoffStore, handoffId: string, to: string): Promise<void> {
  if (await store.transition(handoffId, ['waiting'], 'ended')) await store.audit(handoffId, 'passed_on', 'bot', to);
}
