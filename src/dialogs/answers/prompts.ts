import type { DialogContext } from 'botbuilder-dialogs';
import type { ButtonKey, Messages } from '../../content/types';
import { AnswerPrompt } from './answer-prompt';
import type { AnswerPromptOptions } from './answer-prompt';
import type { AnswerLexicon, AnswerOption, AnswerThresholds, PromptKind, PromptSpec } from './recognize-answer';

/** Misses a prompt answers with what it needs before it also offers a person (the third miss does). */
export const PROMPT_PATIENCE = 2;

/** One of the bot's own buttons, with what it means when typed (messages.yaml `answers`). */
export function buttonOption(messages: Messages, key: ButtonKey): AnswerOption {
  return { label: messages.text[key], ...messages.answers[key] };
}

/** An AnswerPrompt that offers a person, in the bot's words, after PROMPT_PATIENCE misses. */
export function createAnswerPrompt(id: string, messages: Messages, lexicon: AnswerLexicon, acceptAnything = false): AnswerPrompt {
  return new AnswerPrompt(id, {
    lexicon,
    patience: PROMPT_PATIENCE,
    personOffer: messages.text.reprompt_person,
    personLabel: messages.text.talk_to_person,
    acceptAnything,
  });
}

export function answerPromptOptions(
  kind: PromptKind,
  prompt: string,
  retryPrompt: string,
  options: readonly AnswerOption[],
  unsure?: string,
): AnswerPromptOptions {
  return { prompt, retryPrompt, spec: { kind, options }, ...(unsure ? { unsure } : {}) };
}

/** What typed answers are read with: the answer model's thresholds and the content's meaning words. */
export function answerLexicon(messages: Messages, thresholds: AnswerThresholds): AnswerLexicon {
  return { thresholds, meaningWords: messages.answerWords };
}

/** The spec of the prompt waiting for an answer at the bottom of the dialog stack, if it is one of ours. */
export function activePromptSpec(dc: DialogContext): PromptSpec | undefined {
  let leaf = dc;
  while (leaf.child) leaf = leaf.child;
  const options = leaf.activeDialog?.state?.options as { spec?: PromptSpec } | undefined;
  return options?.spec;
}
