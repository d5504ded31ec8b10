import type { Activity, TranscriptStore } from 'botbuilder-core';
import { redact, redactStrings } from '../privacy/redact';

/**
 * botbuilder's `TranscriptStore` as the bot keeps transcripts, whatever is
 * behind it (SQLite beside the state, or Redis shared by every instance;
 * test/storage/transcript-store-contract.ts runs both): what people wrote
 * redacted, no debugging traces, pages of 20, and retention by age.
 */
export interface TranscriptArchive extends TranscriptStore {
  /** Every activity of a conversation (any channel), oldest first: what a hand-off shows the agent. */
  activities(conversationId: string): Promise<Activity[]>;
  /** Retention: deletes every activity older than `beforeIso`; resolves to how many. */
  deleteOlderThan(beforeIso: string): Promise<number>;
}

/** Activities per page of getTranscriptActivities / listTranscripts, as botbuilder's own stores page. */
export const TRANSCRIPT_PAGE = 20;

/** What logActivity keeps of an activity, or undefined for one that is not kept (a debugging trace). */
export function transcriptLine(activity: Activity, store: string): { channelId: string; conversationId: string; at: string; json: string } | undefined {
  if (!activity?.conversation?.id || !activity.channelId) throw new TypeError(`${store}.logActivity: the activity needs channelId and conversation.id`);
  const at = activity.timestamp ? new Date(activity.timestamp).toISOString() : new Date().toISOString();
  // Debugging traces (the Emulator's bot-state trace quotes the user's message) are no part of the conversation.
  if (activity.type === 'trace') return undefined;
  return { channelId: activity.channelId, conversationId: activity.conversation.id, at, json: JSON.stringify(redactedActivity(activity)) };
}

export function reviveActivity(json: string): Activity {
  const activity = JSON.parse(json) as Activity;
  if (activity.timestamp) activity.timestamp = new Date(activity.timestamp);
  return activity;
}

/**
 * What is kept of an activity for agents and for the retention period: what
 * people wrote (text, speak, summary, a card's submitted values) with e-mail
 * addresses, phone numbers and long digit runs redacted; ids stay as they are.
 */
function redactedActivity(activity: Activity): Activity {
  const copy = { ...activity };
  for (const field of ['text', 'speak', 'summary'] as const) if (typeof copy[field] === 'string') copy[field] = redact(copy[field]);
  if (copy.value !== undefined) copy.value = redactStrings(copy.value);
  return copy;
}
