import type { StatePropertyAccessor, TurnContext } from 'botbuilder-core';
import { WaterfallDialog } from 'botbuilder-dialogs';
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Messages } from '../content/types';
import type { AnswerResult } from './answers/answer-prompt';
import { answerPromptOptions, createAnswerPrompt } from './answers/prompts';
import type { AnswerLexicon } from './answers/recognize-answer';
import { named } from './named-step';

export const CSAT_DIALOG = 'csat';
const SCORE_PROMPT = 'csat.score-prompt';
const COMMENT_PROMPT = 'csat.comment-prompt';

/** When the rating is asked: after a fix worked, or after a chat with a person ended. */
export type CsatAfter = 'fix' | 'handoff';

export interface CsatOptions {
  after: CsatAfter;
}

/** Where ratings go (insights); the dialogs never know how they are stored. */
export interface CsatPort {
  rate(context: TurnContext, score: number, after: CsatAfter): void;
  comment(context: TurnContext, text: string): void;
  /** Whether the question may be put to this conversation: true once per conversation, whichever instance asks. */
  claim(context: TurnContext): Promise<boolean>;
}

interface CsatDeps {
  messages: Messages;
  lexicon: AnswerLexicon;
  port: CsatPort;
  /** Whether this conversation was asked already: the question comes once, answered or skipped. */
  asked: StatePropertyAccessor<boolean>;
}

const SCORES = ['1', '2', '3', '4', '5'];

/**
 * "How did I do?" with 1–5 buttons (cards in Teams) and Skip, then an
 * optional comment. Asked at most once per conversation; skipping, or typing
 * something else, is fine (a new request typed here is routed as usual).
 */
export function createCsatDialogs({ messages, lexicon, port, asked }: CsatDeps): Dialog[] {
  const { text } = messages;
  const scoreOptions = [...SCORES.map((label) => ({ label, means: [], words: [] })), { label: text.csat_skip, means: ['deny' as const, 'dont_know' as const], words: [] }];
  const commentOptions = [{ label: text.csat_no_comment, means: ['deny' as const], words: [] }];

  const dialog = new WaterfallDialog(CSAT_DIALOG, [
    named(`${CSAT_DIALOG}.ask`, async (turn: WaterfallStepContext<CsatOptions>): Promise<DialogTurnResult> => {
      if (await asked.get(turn.context, false)) return turn.endDialog();
      await asked.set(turn.context, true);
      if (!(await port.claim(turn.context))) return turn.endDialog();
      return turn.prompt(SCORE_PROMPT, answerPromptOptions('rating', text.csat_ask, text.csat_ask, scoreOptions));
    }),
    named(`${CSAT_DIALOG}.score`, async (turn: WaterfallStepContext<CsatOptions>): Promise<DialogTurnResult> => {
      const found = turn.result as AnswerResult | undefined;
      if (!found || found.index >= SCORES.length) {
        await turn.context.sendActivity(text.csat_skipped);
        return turn.endDialog();
      }
      port.rate(turn.context, found.index + 1, turn.options.after);
      return turn.prompt(COMMENT_PROMPT, answerPromptOptions('rating', text.csat_comment_ask, text.csat_comment_ask, commentOptions));
    }),
    named(`${CSAT_DIALOG}.comment`, async (turn: WaterfallStepContext<CsatOptions>): Promise<DialogTurnResult> => {
      // Anything but "no thanks" is the comment, word for word (redacted when stored).
      const typed = turn.context.activity.text?.trim() ?? '';
      if (turn.result === undefined && typed) port.comment(turn.context, typed.slice(0, 2000));
      await turn.context.sendActivity(text.csat_thanks);
      return turn.endDialog();
    }),
  ]);
  return [createAnswerPrompt(SCORE_PROMPT, messages, lexicon, true), createAnswerPrompt(COMMENT_PROMPT, messages, lexicon, true), dialog];
}
