import { WaterfallDialog } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder-core';
import type { WaterfallStepContext } from 'botbuilder-dialogs';
import type { ButtonKey, InstructionStep, Messages } from '../content/types';
import type { AnswerResult } from './answers/answer-prompt';
import { answerPromptOptions, buttonOption } from './answers/prompts';
import { named } from './named-step';

export const CONFIRM_STEP_DIALOG = 'confirm-step';

export interface ConfirmStepOptions {
  step: InstructionStep;
  /** 1 on the first showing, 2 after the user could not find it and got help. */
  attempt: number;
}

/** How an instruction step ended; recorded so later steps could branch on it. */
export type StepOutcome = 'done' | 'already' | 'skipped';

const BUTTONS: readonly ButtonKey[] = ['choice_done', 'choice_cant_find', 'choice_already'];

/**
 * Shows one instruction and waits until the user confirms it. "I can't find
 * it" gets the step's extra help and the same question again; a second "can't
 * find it" moves on rather than trapping the user on one step. "Did that,
 * still failing" counts as done.
 */
export function createConfirmStepDialog(
  messages: Messages,
  answerPromptId: string,
  /** Told of every "I can't find it", before the help or the move on. */
  onCantFind: (context: TurnContext, step: InstructionStep) => void = () => undefined,
): WaterfallDialog {
  const options = BUTTONS.map((key) => buttonOption(messages, key));
  return new WaterfallDialog(CONFIRM_STEP_DIALOG, [
    named(`${CONFIRM_STEP_DIALOG}.ask`, async (turn: WaterfallStepContext<ConfirmStepOptions>) => {
      const { step, attempt } = turn.options;
      const text = attempt === 1 ? step.say : step.help;
      return turn.prompt(answerPromptId, answerPromptOptions('instruction', text, messages.text.step_reprompt, options));
    }),
    named(`${CONFIRM_STEP_DIALOG}.handle`, async (turn: WaterfallStepContext<ConfirmStepOptions>) => {
      const { step, attempt } = turn.options;
      const answer = turn.result as AnswerResult;
      const button = BUTTONS[answer.index];
      if (button === 'choice_cant_find') {
        onCantFind(turn.context, step);
        if (attempt === 1) return turn.replaceDialog(CONFIRM_STEP_DIALOG, { step, attempt: 2 });
        await turn.context.sendActivity(messages.text.still_cant_find);
        return turn.endDialog('skipped' satisfies StepOutcome);
      }
      if (button === 'choice_already') {
        await turn.context.sendActivity(step.already ?? messages.text.already_ok);
        return turn.endDialog('already' satisfies StepOutcome);
      }
      if (answer.meaning === 'still_failing') await turn.context.sendActivity(messages.text.still_failing_ack);
      return turn.endDialog('done' satisfies StepOutcome);
    }),
  ]);
}
