import { ComponentDialog, DialogEvents, WaterfallDialog } from 'botbuilder-dialogs';
import type { DialogContext, DialogEvent, DialogTurnResult, WaterfallStep, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Condition, FixDefinition, Messages, Step } from '../content/types';
import type { Entity } from '../nlu/types';
import type { NotedSizes } from './troubleshoot-dialog';
import type { AnswerResult } from './answers/answer-prompt';
import { answerPromptOptions, buttonOption, createAnswerPrompt } from './answers/prompts';
import type { AnswerLexicon } from './answers/recognize-answer';
import { CONFIRM_STEP_DIALOG, createConfirmStepDialog } from './confirm-step-dialog';
import type { ConfirmStepOptions } from './confirm-step-dialog';
import { named, stepValues } from './named-step';
import { fill } from './text';
import type { StepChecks } from './checks/types';
import type { BotEvents } from '../bot/bot-events';
import type { FixJournal } from './fix-journal';

export interface FixOptions {
  /** Entities from the message that started troubleshooting (e.g. sizes for the space check). */
  entities?: Entity[];
  /** Sizes the user gave later, at steps that asked something else; newer than `entities`. */
  sizes?: NotedSizes;
}

export interface FixResult {
  fixId: string;
  solved: boolean;
  /** False when the fix found nothing to change and the user was not asked whether it helped. */
  verified: boolean;
}

const ANSWER_PROMPT = 'answer';
const RESTART_FLAG = 'restartForNewContent';

/** A waterfall whose version is the fix's content hash, so editing the YAML is noticed mid-fix. */
class FixFlow extends WaterfallDialog {
  constructor(id: string, steps: WaterfallStep[], private readonly contentVersion: string) {
    super(id, steps);
  }
  override getVersion(): string {
    return `${this.id}:${this.contentVersion}`;
  }
}

/**
 * Runs one fix from its YAML definition: intro, each step confirmed (or
 * branched on, or checked by code), then "is the backup working now?".
 * One class serves every fix; adding a fix is adding a YAML file.
 */
export class FixDialog extends ComponentDialog {
  private readonly flowId: string;

  constructor(
    private readonly fix: FixDefinition,
    private readonly messages: Messages,
    checks: StepChecks,
    /** How many fixes there are, for "fix 2 of 8". */
    private readonly fixCount: number,
    lexicon: AnswerLexicon,
    /** Where each answered step is noted for a hand-off's summary; none in bare dialog tests. */
    private readonly journal?: FixJournal,
    /** Where each step shown and each "I can't find it" is reported (insights); none in bare dialog tests. */
    private readonly events?: BotEvents,
  ) {
    super(fix.id);
    this.flowId = `${fix.id}.flow`;
    this.addDialog(createAnswerPrompt(ANSWER_PROMPT, messages, lexicon));
    this.addDialog(createConfirmStepDialog(messages, ANSWER_PROMPT, (context, step) => events?.cantFind(context, fix.id, step.id)));
    for (const step of fix.steps) {
      if (step.kind !== 'check') continue;
      const check = checks[step.check];
      if (!check) throw new Error(`fix "${fix.id}" uses check "${step.check}", which is not registered`);
      this.addDialog(check.create(this.checkDialogId(step.id), step, messages, lexicon));
    }
    this.addDialog(new FixFlow(this.flowId, this.buildSteps(), fix.version));
    this.initialDialogId = this.flowId;
  }

  private checkDialogId(stepId: string): string {
    return `${this.fix.id}.${stepId}.check`;
  }

  private buildSteps(): WaterfallStep[] {
    const { fix, messages } = this;
    const steps: WaterfallStep[] = [
      named(`${fix.id}.intro`, async (turn: WaterfallStepContext) => {
        await turn.context.sendActivity(`${fill(messages.text.fix_heading, { title: fix.title, order: fix.order, total: this.fixCount })}\n\n${fix.intro}`);
        return turn.next();
      }),
    ];
    fix.steps.forEach((step, index) => {
      steps.push(
        named(`${fix.id}.${step.id}`, async (turn: WaterfallStepContext<FixOptions>) => {
          await this.recordAnswer(turn, fix.steps[index - 1]);
          if (!conditionHolds(step.when, stepValues(turn))) return turn.next();
          return this.runStep(turn, step);
        }),
      );
    });
    const verifyOptions = [buttonOption(messages, 'verify_yes'), buttonOption(messages, 'verify_no')];
    steps.push(
      named(`${fix.id}.verify`, async (turn: WaterfallStepContext) => {
        await this.recordAnswer(turn, fix.steps[fix.steps.length - 1]);
        if (fix.skipVerifyWhen?.some((condition) => conditionHolds(condition, stepValues(turn)))) {
          return turn.endDialog({ fixId: fix.id, solved: false, verified: false } satisfies FixResult);
        }
        const prompt = fix.verify ?? messages.text.verify;
        return turn.prompt(
          ANSWER_PROMPT,
          answerPromptOptions('verify', prompt, messages.text.verify_reprompt, verifyOptions, messages.text.verify_unsure),
        );
      }),
      named(`${fix.id}.outcome`, async (turn: WaterfallStepContext) => {
        const solved = (turn.result as AnswerResult).index === 0;
        return turn.endDialog({ fixId: fix.id, solved, verified: true } satisfies FixResult);
      }),
    );
    return steps;
  }

  private async runStep(turn: WaterfallStepContext<FixOptions>, step: Step): Promise<DialogTurnResult> {
    this.events?.stepReached(turn.context, this.fix.id, step.id);
    switch (step.kind) {
      case 'instruction':
        return turn.beginDialog(CONFIRM_STEP_DIALOG, { step, attempt: 1 } satisfies ConfirmStepOptions);
      case 'question':
        return turn.prompt(
          ANSWER_PROMPT,
          answerPromptOptions('question', step.say, this.messages.text.question_reprompt, step.choices, step.unsure),
        );
      case 'check':
        return turn.beginDialog(this.checkDialogId(step.id), turn.options);
      case 'message':
        await turn.context.sendActivity(step.say);
        return turn.next();
    }
  }

  /** Keeps what the previous step produced, so later steps can branch on it with `when`. */
  private async recordAnswer(turn: WaterfallStepContext, previous: Step | undefined): Promise<void> {
    if (!previous || turn.result === undefined) return;
    const value = previous.kind === 'question' ? previous.choices[(turn.result as AnswerResult).index]?.value : turn.result;
    stepValues(turn)[previous.id] = value;
    await this.journal?.step(turn.context, this.fix, previous, value);
  }

  /**
   * A conversation stored mid-fix meets an edited fix: its step index may
   * point at a different step now. Flag it; the continue below restarts the fix.
   */
  protected override async onPreBubbleEvent(dc: DialogContext, event: DialogEvent): Promise<boolean> {
    if (event.name === DialogEvents.versionChanged && event.value === this.id && dc.activeDialog) {
      dc.activeDialog.state[RESTART_FLAG] = true;
      return true;
    }
    return super.onPreBubbleEvent(dc, event);
  }

  protected override async onContinueDialog(innerDC: DialogContext): Promise<DialogTurnResult> {
    const instance = innerDC.parent?.activeDialog;
    if (instance?.state[RESTART_FLAG]) {
      delete instance.state[RESTART_FLAG];
      const flow = innerDC.stack[innerDC.stack.length - 1];
      const options = (flow?.state as { options?: FixOptions } | undefined)?.options ?? {};
      await innerDC.cancelAllDialogs();
      await innerDC.context.sendActivity(this.messages.text.content_changed);
      return innerDC.beginDialog(this.flowId, options);
    }
    return super.onContinueDialog(innerDC);
  }
}

function conditionHolds(condition: Condition | undefined, values: Record<string, unknown>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([stepId, accepted]) => accepted.includes(String(values[stepId])));
}
