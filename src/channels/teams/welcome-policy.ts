import { ActivityTypes } from 'botbuilder-core';
import type { Activity } from 'botbuilder-core';
import { isTeams, teamsConversationType } from './teams-activity';

/**
 * Whether a Teams event is the bot arriving in a conversation, which earns
 * the welcome. A personal install sends both an installationUpdate and a
 * conversationUpdate adding the bot (either may come first), so the caller
 * must welcome once per conversation. In group chats and channels, people
 * joining later are not welcomed: that would post into the team's channel.
 */
export function isTeamsArrival(activity: Partial<Activity> & Pick<Activity, 'channelId' | 'conversation'>): boolean {
  if (!isTeams(activity)) return false;
  if (activity.type === ActivityTypes.InstallationUpdate) return activity.action === 'add';
  if (activity.type !== ActivityTypes.ConversationUpdate) return false;
  const added = activity.membersAdded ?? [];
  if (teamsConversationType(activity) === 'personal') return added.length > 0;
  return added.some((m) => m.id === activity.recipient?.id);
}
