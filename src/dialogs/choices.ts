import { ChoiceFactory, ChoicePrompt, ListStyle, supportsCardActions, supportsSuggestedActions } from 'botbuilder-dialogs';
import type { Choice, PromptOptions } from 'botbuilder-dialogs';
import type { Activity, TurnContext } from 'botbuilder-core';
import type { MessageKey, Messages } from '../content/types';

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

/** A ChoicePrompt that renders its buttons with `listStyleFor` the channel it is speaking on. */
export class ButtonChoicePrompt extends ChoicePrompt {
  protected override async onPrompt(
    context: TurnContext,
    state: Record<string, unknown>,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    const style = listStyleFor(context.activity.channelId, options.choices?.length ?? 0);
    return super.onPrompt(context, state, { ...options, style }, isRetry);
  }
}

/**
 * A button labelled with a fixed message, with the words users type for it.
 * The label is what the channel sends back; callers map the answer by index.
 */
export function messageChoice(messages: Messages, key: MessageKey): Choice {
  return { value: messages.text[key], synonyms: [...(messages.synonyms[key] ?? [])] };
}

export function choicePromptOptions(prompt: string, choices: Choice[], retryPrompt?: string): PromptOptions {
  return { prompt, choices, ...(retryPrompt ? { retryPrompt } : {}) };
}

/** A message with buttons outside any prompt (the menu, a skip button), styled like the prompts. */
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
