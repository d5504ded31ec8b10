import type { Activity } from 'botbuilder-core';
import type { TranscriptLine } from './types';

/** Marks an agent's message to the user (channelData), so the transcript can tell it from the bot's. */
export interface AgentMessageData {
  handoff: { agentName: string };
}

/**
 * The readable lines of a conversation's activities (as TranscriptLoggerMiddleware
 * stored them): messages only, with who wrote them. The logger marks the
 * user's activities with role "user"; an agent's messages carry their name.
 */
export function transcriptLines(activities: readonly Partial<Activity>[]): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const a of activities) {
    if (a.type !== 'message') continue;
    const text = messageText(a);
    if (!text) continue;
    const at = new Date(a.timestamp ?? Date.now()).toISOString();
    if (a.from?.role === 'user') {
      lines.push({ from: 'user', text, at });
      continue;
    }
    const agentName = (a.channelData as Partial<AgentMessageData> | undefined)?.handoff?.agentName;
    lines.push(typeof agentName === 'string' ? { from: 'agent', text, at, agentName } : { from: 'bot', text, at });
  }
  return lines;
}

/** A message's text, or the text of its card (Teams), or its submitted value (a card button). */
export function messageText(activity: Partial<Activity>): string {
  if (typeof activity.text === 'string' && activity.text.trim()) return activity.text.trim();
  const cards = (activity.attachments ?? [])
    .map((att) => att.content as { text?: unknown; body?: Array<{ text?: unknown }> } | undefined)
    .flatMap((c) => [c?.text, ...(c?.body ?? []).map((b) => b.text)])
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  if (cards.length > 0) return cards.join('\n');
  return '';
}
