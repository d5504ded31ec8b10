import type { Activity, CardAction } from 'botbuilder-core';

export interface Rendered {
  text: string;
  buttons: CardAction[];
}

/** Turns a bot activity into terminal text and a list of buttons (suggested actions or a card's). */
export function renderActivity(activity: Partial<Activity>): Rendered {
  if (activity.type !== 'message') return { text: '', buttons: [] };
  const parts: string[] = [];
  const buttons: CardAction[] = [...(activity.suggestedActions?.actions ?? [])];
  if (activity.text) parts.push(activity.text);
  for (const attachment of activity.attachments ?? []) {
    const card = attachment.content as { title?: string; text?: string; buttons?: CardAction[] } | undefined;
    if (card?.title) parts.push(card.title);
    if (card?.text) parts.push(card.text);
    buttons.push(...(card?.buttons ?? []));
  }
  return { text: plainText(parts.join('\n')), buttons };
}

/** Markdown to plain terminal text: bold markers dropped, links shown with their address. */
export function plainText(markdown: string): string {
  return markdown.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\[([^\]]+)\]\((\S+?)\)/g, '$1: $2');
}
