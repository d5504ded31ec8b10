import { ActionTypes, CardFactory } from 'botbuilder-core';
import type { Attachment, CardAction, HeroCard } from 'botbuilder-core';
import { PROMPT_FIELD, SUBMIT_FIELD } from './teams-activity';

/** The newest Adaptive Card version every Teams client renders. */
export const ADAPTIVE_CARD_VERSION = '1.5';
/** Teams shows at most this many actions on a card; more are cut off. */
export const MAX_TEAMS_CARD_ACTIONS = 6;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Array<{ type: 'TextBlock'; text: string; wrap: true }>;
  actions: Array<{ type: 'Action.Submit'; title: string; data: Record<string, string> }>;
}

/**
 * botbuilder shows choices on Teams as a hero card of imBack buttons. An imBack
 * is posted as a plain message, which Teams delivers in channels only with an
 * @mention; an Adaptive Card Action.Submit always goes back to the bot that sent
 * the card. So a choice card becomes an Adaptive Card whose buttons submit
 * `{ choice: label }`; CardSubmitMiddleware turns that back into text.
 * Returns undefined for any other attachment, which is sent unchanged.
 */
export function choiceCardAsAdaptiveCard(attachment: Attachment): Attachment | undefined {
  if (attachment.contentType !== CardFactory.contentTypes.heroCard) return undefined;
  const hero = attachment.content as Partial<HeroCard> | undefined;
  if (!hero || hero.title || hero.subtitle || hero.tap || (hero.images?.length ?? 0) > 0) return undefined;
  const buttons = hero.buttons ?? [];
  if (buttons.length === 0 || buttons.length > MAX_TEAMS_CARD_ACTIONS || !buttons.every(isTextButton)) return undefined;

  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body: hero.text ? [{ type: 'TextBlock', text: hero.text, wrap: true }] : [],
    actions: buttons.map((b) => ({
      type: 'Action.Submit',
      title: String(b.title || b.value),
      data: { [SUBMIT_FIELD]: String(b.value), ...(hero.text ? { [PROMPT_FIELD]: hero.text } : {}) },
    })),
  };
  return CardFactory.adaptiveCard(card);
}

function isTextButton(button: CardAction): boolean {
  return button.type === ActionTypes.ImBack && typeof button.value === 'string' && button.value.trim() !== '';
}

/**
 * The card as it should look once answered: the question and the answer
 * given, no buttons. Teams keeps old cards clickable; without this a stray tap
 * on an earlier step's "Done" would answer whatever step is current.
 */
export function answeredCard(prompt: string, answer: string): Attachment {
  const card: Omit<AdaptiveCard, 'actions'> = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body: [
      { type: 'TextBlock', text: prompt, wrap: true },
      { type: 'TextBlock', text: `✓ **${answer}**`, wrap: true },
    ],
  };
  return CardFactory.adaptiveCard(card);
}
