import { ChoiceFactory, ListStyle, supportsCardActions, supportsSuggestedActions } from 'botbuilder-dialogs';
import type { Activity } from 'botbuilder-core';

/**
 * How buttons are shown on a channel. botbuilder's own choice falls back to a
 * numbered text list when any label is over 20 characters; our labels are
 * sentences ("It was already like that"), and both Web Chat's suggested
 * actions and Teams' card buttons show them fine. Channels with neither get
 * the numbered list, which users can answer by number.
 */
export function listStyleFor(channelId: string, count: number): ListStyle {
  if (supportsSuggestedActions(channelId, count)) return ListStyle.suggestedAction;
  if (supportsCardActions(channelId, count)) return ListStyle.heroCard;
  return ListStyle.list;
}

/** A message with buttons (a prompt, the menu, a skip button), styled for the channel it goes to. */
export function messageWithButtons(channelId: string, text: string, labels: readonly string[]): Partial<Activity> {
  const choices = ChoiceFactory.toChoices([...labels]);
  switch (listStyleFor(channelId, choices.length)) {
    case ListStyle.suggestedAction:
      return ChoiceFactory.suggestedAction(choices, text);
    case ListStyle.heroCard:
      return ChoiceFactory.heroCard(choices, text);
    default:
      return ChoiceFactory.list(choices, text);
  }
}
