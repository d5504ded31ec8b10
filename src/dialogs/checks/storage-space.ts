import { TextPrompt, WaterfallDialog, ComponentDialog } from 'botbuilder-dialogs';
import type { PromptOptions, PromptValidatorContext, WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder-core';
import { wordTokens } from '../../content/fold-words';
import type { CheckStep } from '../../content/types';
import type { Entity, SizeEntity } from '../../nlu/types';
import type { FixOptions } from '../fix-dialog';
import { messageWithButtons } from '../choices';
import { readingOf, recognizeForTurn } from '../answers/answer-prompt';
import type { AnswerLexicon, PromptSpec, RecognizedAnswer } from '../answers/recognize-answer';
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
    text: ['ask_backup', 'ask_free', 'where_backup', 'where_free', 'reprompt', 'skip_label', 'enough', 'short', 'skipped'],
    settings: { factor: 'number', skip_words: 'string', where_words: 'string' },
  },
  create: (dialogId, step, _messages, lexicon) => new StorageSpaceDialog(dialogId, step, lexicon),
};

/** The size prompt's options: the spec every prompt has, and where to look for this size (said to "where is that?"). */
interface SizePromptOptions extends PromptOptions {
  spec: PromptSpec;
  where: string;
}

class StorageSpaceDialog extends ComponentDialog {
  /** The size prompt's one button, Skip, also taken when the user doesn't know or can't find the size. */
  private readonly spec: PromptSpec;
  private readonly whereWords: readonly string[][];

  constructor(
    id: string,
    private readonly step: CheckStep,
    private readonly lexicon: AnswerLexicon,
  ) {
    super(id);
    this.spec = sizePromptSpec(step);
    this.whereWords = whereWordsOf(step);
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
    const given = turn.options.sizes?.[role] ?? pickSize(turn.options.entities ?? [], role);
    if (given !== undefined) {
      stepValues(turn)[role] = given;
      return turn.next();
    }
    const channelId = turn.context.activity.channelId;
    const skip = [this.step.text.skip_label!];
    const prompt = messageWithButtons(channelId, this.step.text[textKey]!, skip);
    const retryPrompt = messageWithButtons(channelId, this.step.text.reprompt!, skip);
    const where = this.step.text[role === 'backup' ? 'where_backup' : 'where_free']!;
    // The spec rides along in the prompt's options so the interruption check reads this prompt like any other.
    const options: SizePromptOptions = { prompt, retryPrompt, spec: this.spec, where };
    return turn.prompt(SIZE_PROMPT, options);
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
    if (backup === undefined || free === undefined) {
      await turn.context.sendActivity(this.step.text.skipped!);
      return turn.endDialog('skipped' satisfies Outcome);
    }
    const { outcome, text } = compareSizes(this.step, backup, free);
    await turn.context.sendActivity(text);
    return turn.endDialog(outcome);
  }

  private async validate(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const options = prompt.options as Partial<SizePromptOptions>;
    const recognized = recognizeForTurn(prompt.context, options.spec ?? this.spec, this.lexicon);
    const state = prompt.state as { directed?: boolean };
    const answer = sizeAnswer(recognized, readingOf(prompt.context).text, this.whereWords, state.directed === true);
    if (answer === 'directions' && options.where) {
      // Said here rather than as the retry prompt: the prompt sends its retry only when nothing was said this turn.
      state.directed = true;
      await prompt.context.sendActivity(messageWithButtons(prompt.context.activity.channelId, options.where, [this.step.text.skip_label!]));
      return false;
    }
    if (answer !== 'retry') return true;
    // After a few tries, carry on without the number rather than loop forever.
    return prompt.attemptCount >= MAX_ATTEMPTS;
  }
}

/** The check's arithmetic: is `free` at least factor × `backup`, said in the check's words. */
export function compareSizes(step: CheckStep, backup: number, free: number): { outcome: 'enough' | 'short'; text: string } {
  const factor = Number(step.settings.factor);
  const needed = backup * factor;
  const outcome = free >= needed ? 'enough' : 'short';
  const text = fill(step.text[outcome]!, {
    backup: formatSize(backup),
    free: formatSize(free),
    needed: formatSize(needed),
    factor,
    shortfall: formatSize(Math.max(needed - free, 0)),
  });
  return { outcome, text };
}

/** What the size question does with a reply. */
export type SizeAnswer = 'value' | 'skip' | 'directions' | 'retry';

/**
 * A size is taken; a clear skip ("skip", "no idea", a skip word) skips; a
 * question asking where to look ("where is that?", "how do I see that?") or a
 * first "I can't find it" gets directions and the question again, and once
 * directions were given, skips (no one is kept on a number they cannot find).
 */
export function sizeAnswer(recognized: RecognizedAnswer, text: string, whereWords: readonly string[][], directed: boolean): SizeAnswer {
  if (recognized.kind === 'value') return 'value';
  const where = asksWhere(text, whereWords);
  // A question no answer was read in ("how do I see how much is free?"): directions once, then the usual reprompt.
  if (recognized.kind !== 'option') return where && !directed ? 'directions' : 'retry';
  if (recognized.by === 'label' || (recognized.by === 'words' && recognized.meaning === undefined && !where)) return 'skip';
  const lost = recognized.meaning === 'cant_find' || where;
  return lost && !directed ? 'directions' : 'skip';
}

/** Whether the text contains one of the check's `where_words` ("where", "how do i"), as whole words. */
function asksWhere(text: string, whereWords: readonly string[][]): boolean {
  const tokens = wordTokens(text);
  return whereWords.some((phrase) => tokens.some((_, start) => phrase.every((w, i) => tokens[start + i] === w)));
}

/** The check's `where_words`, tokenised. */
export function whereWordsOf(step: CheckStep): string[][] {
  return splitWords(step.settings.where_words).map(wordTokens).filter((p) => p.length > 0);
}

function splitWords(setting: unknown): string[] {
  return String(setting ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
}

/** The size prompt's one option, Skip: taken also for "don't know" or "can't find it", and for its skip words. */
export function sizePromptSpec(step: CheckStep): PromptSpec {
  const skipWords = splitWords(step.settings.skip_words);
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
