import type * as AdaptiveCards from 'adaptivecards';
import type { Activity, Attachment } from 'botbuilder-core';

// The package's `main` is an ES module build Node cannot load; its UMD bundle works in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/** Teams renders at most this many buttons on a hero card or actions on an Adaptive Card. */
export const TEAMS_MAX_BUTTONS = 6;
const TEAMS_CARD_ACTIONS = ['openUrl', 'imBack', 'messageBack', 'invoke', 'signin'];

/**
 * What is wrong with an Adaptive Card for a Teams client that speaks 1.5:
 * parsed by Microsoft's own Adaptive Cards library at version 1.5, which
 * reports unknown or too-new elements; a property it does not know is caught
 * by comparing the card with the library's re-serialisation of it.
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = card as { version?: string; actions?: unknown[] };
  if (json.version !== '1.5' && !['1.0', '1.1', '1.2', '1.3', '1.4'].includes(String(json.version))) {
    problems.push(`version ${json.version} is not ≤ 1.5`);
  }
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  const roundTrip = parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_5));
  if (JSON.stringify(roundTrip) !== JSON.stringify(card)) problems.push(`not all of it is Adaptive Card 1.5: ${JSON.stringify(card)}`);
  if ((json.actions?.length ?? 0) > TEAMS_MAX_BUTTONS) problems.push(`${json.actions?.length} actions; Teams shows ${TEAMS_MAX_BUTTONS}`);
  return problems;
}

export function heroCardProblems(card: unknown): string[] {
  const hero = card as { buttons?: Array<{ type?: string; title?: unknown; value?: unknown }> };
  const problems: string[] = [];
  const buttons = hero.buttons ?? [];
  if (buttons.length > TEAMS_MAX_BUTTONS) problems.push(`${buttons.length} buttons; Teams shows ${TEAMS_MAX_BUTTONS}`);
  for (const b of buttons) {
    if (!TEAMS_CARD_ACTIONS.includes(String(b.type))) problems.push(`button type ${b.type} is not supported by Teams`);
    if (typeof b.title !== 'string' || !b.title) problems.push('button without a title');
    if (b.value === undefined) problems.push(`button "${b.title}" sends nothing`);
  }
  return problems;
}

/** Problems Teams would have showing this activity's cards; suggested actions Teams would drop. */
export function teamsRenderingProblems(activity: Partial<Activity>): string[] {
  const problems: string[] = [];
  if (activity.suggestedActions?.actions?.length) problems.push('suggested actions are not shown by Teams here');
  for (const attachment of activity.attachments ?? []) problems.push(...attachmentProblems(attachment));
  return problems;
}

function attachmentProblems(attachment: Attachment): string[] {
  switch (attachment.contentType) {
    case 'application/vnd.microsoft.card.adaptive':
      return adaptiveCardProblems(attachment.content);
    case 'application/vnd.microsoft.card.hero':
      return heroCardProblems(attachment.content);
    default:
      return [`unexpected attachment ${attachment.contentType}`];
  }
}
