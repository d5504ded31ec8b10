import { ActivityTypes, Channels } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';

/** Where a Teams conversation happens; Teams puts it in `conversation.conversationType`. */
export type TeamsConversationType = 'personal' | 'groupChat' | 'channel';

/** The field of an Adaptive Card Action.Submit's data that carries the button's answer. */
export const SUBMIT_FIELD = 'choice';
/** The field that carries the card's question, so the answered card can be redrawn without state. */
export const PROMPT_FIELD = 'prompt';

type Incoming = Pick<Activity, 'channelId' | 'conversation'> & Partial<Activity>;

export function isTeams(activity: Pick<Activity, 'channelId'>): boolean {
  return activity.channelId === Channels.Msteams;
}

export function teamsConversationType(activity: Incoming): TeamsConversationType {
  const type = activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' ? type : 'personal';
}

/** Group chats and channels: many people, and Teams only delivers messages that @mention the bot. */
export function isSharedConversation(activity: Incoming): boolean {
  return isTeams(activity) && teamsConversationType(activity) !== 'personal';
}

/** True when the message @mentions the bot it was sent to. */
export function mentionsRecipient(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId && botId !== undefined,
  );
}

/**
 * The answer carried by a card button press that sent data but no text
 * (Adaptive Card Action.Submit), or undefined if this is not one.
 */
export function submittedText(activity: Partial<Activity>): string | undefined {
  if (activity.type !== ActivityTypes.Message || (activity.text ?? '').trim() !== '') return undefined;
  const { value } = activity;
  if (typeof value === 'string') return value.trim() || undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const data = value as Record<string, unknown>;
  for (const key of [SUBMIT_FIELD, 'text', 'value']) {
    const field = data[key];
    if (typeof field === 'string' && field.trim()) return field.trim();
  }
  return undefined;
}
