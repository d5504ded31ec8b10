import type { Dialog } from 'botbuilder-dialogs';
import type { CheckSpec } from '../../content/load-dialogs';
import type { CheckStep, Messages } from '../../content/types';
import type { AnswerLexicon } from '../answers/recognize-answer';

/**
 * A fix step run by code. `spec` tells the content validator what the YAML
 * may say; the dialog it creates ends with one of `spec.outcomes`.
 */
export interface StepCheck {
  spec: CheckSpec;
  create(dialogId: string, step: CheckStep, messages: Messages, lexicon: AnswerLexicon): Dialog;
}

export type StepChecks = Readonly<Record<string, StepCheck>>;
