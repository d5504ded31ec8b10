import type { Activity } from 'botbuilder-core';
import { isTeams, isTeamsArrival } from '../channels/teams';

/**
 * Whether an event is someone arriving who should be welcomed. Teams has its
 * own rule (see isTeamsArrival); elsewhere it is a member other than the bot
 * joining. Channels may announce an arrival more than once, so the bot
 * welcomes at most once per conversation.
 */
export function isArrival(activity: Partial<Activity> & Pick<Activity, 'channelId' | 'conversation'>): boolean {
  if (isTeams(activity)) return isTeamsArrival(activity);
  const botId = activity.recipient?.id;
  return (activity.membersAdded ?? []).some((m) => m.id !== botId);
}
