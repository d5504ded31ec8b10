import { ComponentDialog, Dialog, DialogTurnStatus, WaterfallDialog, recognizeChoices } from 'botbuilder-dialogs';
import type { Choice, DialogContext, DialogTurnResult, FoundChoice, WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder-core';
import type { BotEvents } from '../bot/bot-events';
import type { Content } from '../content/types';
import type { Entity, IntentName } from '../nlu/types';
import { ButtonChoicePrompt, choicePromptOptions } from './choices';
import { FixDialog } from './fix-dialog';
import type { StepChecks } from './checks/types';
import { named } from './named-step';
import { Replies } from './replies';
import { decide } from './routing';
import type { Thresholds } from './routing';
import { fill } from './text';
import { TROUBLESHOOT_DIALOG, createTroubleshootDialog } from './troubleshoot-dialog';
import type { ConversationProgress, TroubleshootOptions, UserHistory } from './troubleshoot-dialog';
import { getTurnUnderstanding } from './turn-understanding';

export const MAIN_DIALOG = 'main';
const ROUTE = 'main.route';
const CLARIFY = 'main.clarify';
const CLARIFY_PROMPT = 'main.clarify.prompt';

/** Intents that may interrupt any step; the step resumes afterwards (except cancel). */
const INTERRUPTIONS: readonly IntentName[] = ['help', 'cancel', 'human_agent'];

export interface MainDialogDeps {
  content: Content;
  checks: StepChecks;
  thresholds: Thresholds;
  progress: StatePropertyAccessor<ConversationProgress>;
  history: StatePropertyAccessor<UserHistory>;
  /** Fix outcomes and escalations, for whoever listens (metrics). */
  events: BotEvents;
}

interface ClarifyResult {
  /** The reading the user picked; undefined for "none of these". */
  clarified?: IntentName;
  /** The answer was none of the buttons: route it as a new message. */
  reroute?: boolean;
}

const NEW_PROGRESS = (): ConversationProgress => ({ tried: [], misunderstood: 0 });

/**
 * The conversation's root: routes a message to a fix (or answers it), asks
 * when unsure, and lets help / cancel / human interrupt any step.
 */
export class MainDialog extends ComponentDialog {
  private readonly content: Content;
  private readonly thresholds: Thresholds;
  private readonly progress: StatePropertyAccessor<ConversationProgress>;
  readonly replies: Replies;

  constructor(deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    for (const key of ['content', 'checks', 'thresholds', 'progress', 'history', 'events'] as const) {
      if (!deps[key]) throw new Error(`MainDialog needs "${key}"`);
    }
    this.content = deps.content;
    this.thresholds = deps.thresholds;
    this.progress = deps.progress;
    this.replies = new Replies(deps.content);

    const fixCount = deps.content.fixes.length;
    for (const fix of deps.content.fixes) this.addDialog(new FixDialog(fix, deps.content.messages, deps.checks, fixCount));
    this.addDialog(createTroubleshootDialog({ ...deps, replies: this.replies }));
    // Accepts any answer: one that matches no button is routed afresh rather than asked again forever.
    this.addDialog(new ButtonChoicePrompt(CLARIFY_PROMPT, async () => true));
    this.addDialog(this.createClarifyDialog());
    this.addDialog(
      new WaterfallDialog(ROUTE, [
        named(`${ROUTE}.decide`, (turn: WaterfallStepContext) => this.decideStep(turn)),
        named(`${ROUTE}.clarified`, async (turn: WaterfallStepContext) => {
          // Only the clarify dialog hands back a choice; a finished troubleshoot just ends here.
          const result = turn.result as Partial<ClarifyResult> | undefined;
          // The user typed something new instead of picking: understand it afresh.
          if (result?.reroute) return turn.replaceDialog(ROUTE);
          if (!result?.clarified) return turn.endDialog();
          return this.act(turn, result.clarified, []);
        }),
        named(`${ROUTE}.done`, (turn: WaterfallStepContext) => turn.endDialog()),
      ]),
    );
    this.initialDialogId = ROUTE;
  }

  private async decideStep(turn: WaterfallStepContext): Promise<DialogTurnResult> {
    const parse = getTurnUnderstanding(turn.context);
    if (!parse) return turn.endDialog();
    const { messages } = this.content;
    const decision = decide(parse, { thresholds: this.thresholds, menu: messages.menu, androidWords: messages.androidWords });
    const progress = await this.progress.get(turn.context, NEW_PROGRESS());
    switch (decision.kind) {
      case 'route':
        progress.misunderstood = 0;
        return this.act(turn, decision.intent, parse.entities);
      case 'android':
        progress.misunderstood = 0;
        await turn.context.sendActivity(messages.text.android);
        return turn.endDialog();
      case 'clarify':
        progress.misunderstood = 0;
        return turn.beginDialog(CLARIFY, { intents: decision.intents });
      case 'fallback':
        progress.misunderstood += 1;
        if (progress.misunderstood === 1) await turn.context.sendActivity(messages.text.fallback);
        else await this.replies.menu(turn.context, messages.text.fallback_again);
        return turn.endDialog();
    }
  }

  /** Carries out an understood intent when no fix is running. */
  private async act(dc: DialogContext, intent: IntentName, entities: Entity[]): Promise<DialogTurnResult> {
    const { text } = this.content.messages;
    const context = dc.context;
    switch (intent) {
      case 'greeting':
        await this.replies.menu(context, text.greeting);
        return dc.endDialog();
      case 'help':
        await this.replies.menu(context, text.help);
        return dc.endDialog();
      case 'thanks':
        await context.sendActivity(text.thanks);
        return dc.endDialog();
      case 'cancel':
        await this.replies.menu(context, text.nothing_to_cancel);
        return dc.endDialog();
      case 'human_agent':
        await this.replies.human(context);
        return dc.endDialog();
      case 'none':
        await context.sendActivity(text.out_of_scope);
        return dc.endDialog();
      default:
        return dc.beginDialog(TROUBLESHOOT_DIALOG, await this.planFixes(context, intent, entities));
    }
  }

  /**
   * A specific symptom starts at its fix; a generic complaint at fix 1. Either
   * way the rest follow in order, skipping those this conversation has tried.
   */
  private async planFixes(context: TurnContext, intent: IntentName, entities: Entity[]): Promise<TroubleshootOptions> {
    const progress = await this.progress.get(context, NEW_PROGRESS());
    const all = this.content.fixes;
    const start = all.find((f) => f.intent === intent);
    let untried = all.filter((f) => f !== start && !progress.tried.includes(f.id));
    if (!start && untried.length === 0) {
      progress.tried = [];
      untried = [...all];
    } else if (!start && untried.length < all.length) {
      const tried = all.filter((f) => progress.tried.includes(f.id)).map((f) => f.title);
      await context.sendActivity(fill(this.content.messages.text.resume_untried, { tried: tried.join(', ') }));
    }
    return { queue: [...(start ? [start.id] : []), ...untried.map((f) => f.id)], entities };
  }

  private createClarifyDialog(): WaterfallDialog {
    const { messages } = this.content;
    return new WaterfallDialog(CLARIFY, [
      named(`${CLARIFY}.ask`, async (turn: WaterfallStepContext<{ intents: IntentName[] }>) => {
        const choices: Choice[] = [
          ...turn.options.intents.map((i) => ({ value: messages.intentLabels[i] ?? i })),
          { value: messages.text.clarify_other },
        ];
        return turn.prompt(CLARIFY_PROMPT, choicePromptOptions(messages.text.clarify, choices, messages.text.question_reprompt));
      }),
      named(`${CLARIFY}.answer`, async (turn: WaterfallStepContext<{ intents: IntentName[] }>) => {
        const found = turn.result as FoundChoice | undefined;
        if (!found) return turn.endDialog({ reroute: true } satisfies ClarifyResult);
        const chosen = turn.options.intents[found.index];
        if (!chosen) await turn.context.sendActivity(messages.text.fallback);
        return turn.endDialog({ clarified: chosen } satisfies ClarifyResult);
      }),
    ]);
  }

  /**
   * Help, cancel and "human" work at every step, and a clear new symptom
   * switches to its fix; unless the words answer the question on screen.
   */
  protected override async onContinueDialog(innerDC: DialogContext): Promise<DialogTurnResult> {
    const parse = getTurnUnderstanding(innerDC.context);
    const intent = parse?.intent;
    if (!parse || !intent || intent.confidence < this.thresholds.route || answersActivePrompt(innerDC, parse.text)) {
      return super.onContinueDialog(innerDC);
    }
    const { text } = this.content.messages;
    const context = innerDC.context;
    if (INTERRUPTIONS.includes(intent.name)) {
      if (intent.name === 'cancel') {
        await innerDC.cancelAllDialogs();
        await this.progress.set(context, NEW_PROGRESS());
        await this.replies.menu(context, text.cancelled);
        return { status: DialogTurnStatus.complete };
      }
      if (intent.name === 'help') await context.sendActivity(text.help);
      else await this.replies.human(context);
      await context.sendActivity(text.help_resume);
      await innerDC.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const symptomFix = this.content.fixes.find((f) => f.intent === intent.name);
    const runningFix = this.content.fixes.find((f) => f.id === innerDC.activeDialog?.id);
    if (symptomFix && runningFix && symptomFix !== runningFix) {
      await innerDC.cancelAllDialogs();
      await context.sendActivity(text.switch_fix);
      return this.act(innerDC, intent.name, parse.entities);
    }
    return super.onContinueDialog(innerDC);
  }
}

/** True when the text picks one of the choices of the prompt waiting for an answer. */
function answersActivePrompt(dc: DialogContext, text: string): boolean {
  let leaf = dc;
  while (leaf.child) leaf = leaf.child;
  const options = leaf.activeDialog?.state?.options as { choices?: Choice[] } | undefined;
  if (!options?.choices?.length) return false;
  return recognizeChoices(text, options.choices).length > 0;
}
