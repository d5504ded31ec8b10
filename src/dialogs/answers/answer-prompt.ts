import { Prompt } from 'botbuilder-dialogs';
import type { PromptOptions, PromptRecognizerResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder-core';
import type { AnswerIntent } from '../../nlu/types';
import { messageWithButtons } from '../choices';
import { getTurnUnderstanding } from '../turn-understanding';
import { recognizeAnswer } from './recognize-answer';
import type { AnswerLexicon, AnswerReading, PromptSpec, RecognizedAnswer } from './recognize-answer';

/** A prompt's options; kept in dialog state, so the interruption check can read `spec` too. */
export interface AnswerPromptOptions extends PromptOptions {
  prompt: string;
  /** Said after a miss: what the prompt needs. */
  retryPrompt: string;
  spec: PromptSpec;
  /** Said when the user doesn't know the answer (how to find out), before asking again. */
  unsure?: string;
}

/** The option the user picked, and the meaning that picked it when it was typed. */
export interface AnswerResult {
  index: number;
  label: string;
  meaning?: AnswerIntent;
}

export interface AnswerPromptDeps {
  lexicon: AnswerLexicon;
  /** After this many misses in a row the prompt also offers a person. */
  patience: number;
  /** What the prompt says then, and the button it adds. */
  personOffer: string;
  personLabel: string;
  /** Anything that picks no option ends the prompt with no result (the caller reads it afresh). */
  acceptAnything?: boolean;
}

interface PromptState {
  misses?: number;
  lastMeaning?: AnswerIntent;
}

/**
 * A choice prompt that understands typed answers through `recognizeAnswer`
 * (labels, bare numbers, the options' own words, the answer model's meanings)
 * and asks again a bounded number of times, each time saying what it needs;
 * after that it offers the options plus talking to a person.
 */
export class AnswerPrompt extends Prompt<AnswerResult | undefined> {
  constructor(
    dialogId: string,
    private readonly deps: AnswerPromptDeps,
  ) {
    super(dialogId);
    if (!deps?.lexicon || !(deps.patience >= 1) || !deps.personOffer || !deps.personLabel) {
      throw new Error('AnswerPrompt needs a lexicon, patience >= 1, personOffer and personLabel');
    }
  }

  protected override async onPrompt(context: TurnContext, state: PromptState, options: AnswerPromptOptions, isRetry: boolean): Promise<void> {
    const channel = context.activity.channelId;
    const labels = options.spec.options.map((o) => o.label);
    if (!isRetry) {
      await context.sendActivity(messageWithButtons(channel, options.prompt, labels));
      return;
    }
    // Not knowing is understood (and answered with how to find out, where the prompt says how); it is not a miss.
    if (options.unsure && unsure(state.lastMeaning)) {
      await context.sendActivity(messageWithButtons(channel, `${options.unsure}\n\n${options.prompt}`, labels));
      return;
    }
    state.misses = (state.misses ?? 0) + 1;
    if (state.misses <= this.deps.patience) {
      await context.sendActivity(messageWithButtons(channel, options.retryPrompt, labels));
    } else {
      await context.sendActivity(messageWithButtons(channel, this.deps.personOffer, [...labels, this.deps.personLabel]));
    }
  }

  protected override async onRecognize(
    context: TurnContext,
    state: PromptState,
    options: AnswerPromptOptions,
  ): Promise<PromptRecognizerResult<AnswerResult | undefined>> {
    const recognized = recognizeForTurn(context, options.spec, this.deps.lexicon);
    if (recognized.kind === 'option') {
      const label = options.spec.options[recognized.index]!.label;
      state.lastMeaning = undefined;
      return { succeeded: true, value: { index: recognized.index, label, ...(recognized.meaning ? { meaning: recognized.meaning } : {}) } };
    }
    if (this.deps.acceptAnything) return { succeeded: true, value: undefined };
    // botbuilder recognises twice a turn (the activityReceived event, then continueDialog): only idempotent state here.
    state.lastMeaning = recognized.kind === 'meaning' ? recognized.intent : undefined;
    return { succeeded: false };
  }
}

// One reading per prompt per turn: the interruption check and the prompt (which botbuilder asks to
// recognise twice a turn, for the activityReceived event and in continueDialog) share it.
const RECOGNIZED = Symbol('recognizedAnswers');

/** `recognizeAnswer` for this turn's message, computed once per prompt spec (the spec object of the dialog state). */
export function recognizeForTurn(context: TurnContext, spec: PromptSpec, lexicon: AnswerLexicon): RecognizedAnswer {
  let cache = context.turnState.get(RECOGNIZED) as WeakMap<PromptSpec, RecognizedAnswer> | undefined;
  if (!cache) context.turnState.set(RECOGNIZED, (cache = new WeakMap()));
  let recognized = cache.get(spec);
  if (!recognized) {
    recognized = recognizeAnswer(spec, readingOf(context), lexicon);
    cache.set(spec, recognized);
  }
  return recognized;
}

/** "No idea" and "I can't find it" both mean the user cannot answer a question without help. */
export function unsure(meaning: AnswerIntent | undefined): boolean {
  return meaning === 'dont_know' || meaning === 'cant_find';
}

/** The turn's understanding, or the bare text when there is none (a message the NLU did not see). */
export function readingOf(context: TurnContext): AnswerReading {
  return getTurnUnderstanding(context) ?? { text: context.activity.text ?? '', answer_ranking: [], entities: [] };
}
