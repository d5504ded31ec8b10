import { TextPrompt, WaterfallDialog, ComponentDialog } from 'botbuilder-dialogs';
import type { PromptOptions, PromptValidatorContext, WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder-core';
import type { CheckStep } from '../../content/types';
import type { Entity, SizeEntity } from '../../nlu/types';
import type { FixOptions } from '../fix-dialog';
import { messageWithButtons } from '../choices';
import { recognizeForTurn } from '../answers/answer-prompt';
import type { AnswerLexicon, PromptSpec } from '../answers/recognize-answer';
import { named, stepValues } from '../named-step';
import { fill } from '../text';
import { getTurnUnderstanding } from '../turn-understanding';
import { formatSize } from './sizes';
import type { StepCheck } from './types';

type Role = 'backup' | 'free';
type Outcome = 'enough' | 'short' | 'skipped';

const SIZE_PROMPT = 'size';
const MAX_ATTEMPTS = 3;

/**
 * Fix 2's arithmetic: the backup's size and the free iCloud space, taken from
 * the user's message when they gave them, asked for otherwise, compared with
 * factor × backup (the factor lives in content).
 */
export const storageSpaceCheck: StepCheck = {
  spec: {
    outcomes: ['enough', 'short', 'skipped'],
    text: ['ask_backup', 'ask_free', 'reprompt', 'skip_label', 'enough', 'short', 'skipped'],
    settings: { factor: 'number', skip_words: 'string' },
  },
  create: (dialogId, step, _messages, lexicon) => new StorageSpaceDialog(dialogId, step, lexicon),
};

class StorageSpaceDialog extends ComponentDialog {
  /** The size prompt's one button, Skip, also taken when the user doesn't know or can't find the size. */
  private readonly spec: PromptSpec;

  constructor(
    id: string,
    private readonly step: CheckStep,
    private readonly lexicon: AnswerLexicon,
  ) {
    super(id);
    this.spec = sizePromptSpec(step);
    this.addDialog(new TextPrompt(SIZE_PROMPT, (prompt) => this.validate(prompt)));
    this.addDialog(
      new WaterfallDialog(`${id}.flow`, [
        named(`${id}.backup`, (turn: WaterfallStepContext<FixOptions>) => this.ask(turn, 'backup', 'ask_backup')),
        named(`${id}.free`, async (turn: WaterfallStepContext<FixOptions>) => {
          this.take(turn, 'backup');
          if (stepValues(turn).skipped) return this.finish(turn);
          return this.ask(turn, 'free', 'ask_free');
        }),
        named(`${id}.compare`, async (turn: WaterfallStepContext<FixOptions>) => {
          this.take(turn, 'free');
          return this.finish(turn);
        }),
      ]),
    );
    this.initialDialogId = `${id}.flow`;
  }

  /** Uses a size the user already gave (e.g. "backup is 3.4 GB and I have 5 GB free"), else asks. */
  private async ask(turn: WaterfallStepContext<FixOptions>, role: Role, textKey: string) {
    const given = pickSize(turn.options.entities ?? [], role);
    if (given !== undefined) {
      stepValues(turn)[role] = given;
      return turn.next();
    }
    const channelId = turn.context.activity.channelId;
    const skip = [this.step.text.skip_label!];
    const prompt = messageWithButtons(channelId, this.step.text[textKey]!, skip);
    const retryPrompt = messageWithButtons(channelId, this.step.text.reprompt!, skip);
    // The spec rides along in the prompt's options so the interruption check reads this prompt like any other.
    return turn.prompt(SIZE_PROMPT, { prompt, retryPrompt, spec: this.spec } as PromptOptions);
  }

  /** Reads the answer to a size question (the prompt result), unless the size was known already. */
  private take(turn: WaterfallStepContext, role: Role): void {
    const values = stepValues(turn);
    if (values[role] !== undefined) return;
    const size = sizeInReply(turn.context, String(turn.result ?? ''), role);
    if (size === undefined) values.skipped = true;
    else values[role] = size;
  }

  private async finish(turn: WaterfallStepContext) {
    const { backup, free } = stepValues(turn) as { backup?: number; free?: number };
    let outcome: Outcome = 'skipped';
    const factor = Number(this.step.settings.factor);
    if (backup !== undefined && free !== undefined) {
      const needed = backup * factor;
      outcome = free >= needed ? 'enough' : 'short';
      await turn.context.sendActivity(
        fill(this.step.text[outcome]!, {
          backup: formatSize(backup),
          free: formatSize(free),
          needed: formatSize(needed),
          factor,
          shortfall: formatSize(Math.max(needed - free, 0)),
        }),
      );
    } else {
      await turn.context.sendActivity(this.step.text.skipped!);
    }
    return turn.endDialog(outcome);
  }

  private async validate(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const spec = (prompt.options as { spec?: PromptSpec }).spec ?? this.spec;
    const recognized = recognizeForTurn(prompt.context, spec, this.lexicon);
    if (recognized.kind === 'value' || recognized.kind === 'option') return true;
    // After a few tries, carry on without the number rather than loop forever.
    return prompt.attemptCount >= MAX_ATTEMPTS;
  }
}

/** The size prompt's one option, Skip: taken also for "don't know" or "can't find it", and for its skip words. */
export function sizePromptSpec(step: CheckStep): PromptSpec {
  const skipWords = String(step.settings.skip_words)
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  return { kind: 'size', options: [{ label: step.text.skip_label!, means: ['dont_know', 'cant_find'], words: skipWords }] };
}

function pickSize(entities: readonly { entity: string }[], role: Role): number | undefined {
  const sizes = entities.filter((e): e is SizeEntity => e.entity === 'size');
  return sizes.find((s) => s.role === role)?.value;
}

function sizeInReply(context: TurnContext, text: string, role: Role): number | undefined {
  return sizeInReading({ text, entities: getTurnUnderstanding(context)?.entities ?? [] }, role);
}

/** A size in a reply, in GB: the one with the asked role, else the first; a bare number counts as GB. */
export function sizeInReading(reading: { text: string; entities: readonly Entity[] }, role: Role): number | undefined {
  const sizes = reading.entities.filter((e): e is SizeEntity => e.entity === 'size');
  const size = sizes.find((s) => s.role === role) ?? sizes[0];
  if (size) return size.value;
  const bare = /^\s*(\d+(?:[.,]\d+)?)\s*$/.exec(reading.text);
  return bare ? Number(bare[1]!.replace(',', '.')) : undefined;
}
