import { ComponentDialog, Dialog, DialogTurnStatus, WaterfallDialog } from 'botbuilder-dialogs';
import type { DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder-core';
import type { BotEvents, Understanding } from '../bot/bot-events';
import { CSAT_DIALOG, createCsatDialogs } from './csat-dialog';
import type { CsatAfter, CsatOptions, CsatPort } from './csat-dialog';
import type { CheckStep, Content } from '../content/types';
import type { Entity, IntentName } from '../nlu/types';
import { recognizeForTurn } from './answers/answer-prompt';
import type { AnswerResult } from './answers/answer-prompt';
import { decideInFix, volunteersSizes } from './answers/decide-in-fix';
import { activePromptSpec, answerLexicon, answerPromptOptions, buttonOption, createAnswerPrompt } from './answers/prompts';
import type { AnswerLexicon } from './answers/recognize-answer';
import { messageWithButtons } from './choices';
import { FixDialog } from './fix-dialog';
import type { FixResult } from './fix-dialog';
import type { FixJournal } from './fix-journal';
import { HANDOFF_CONFIRM, HANDOFF_MESSAGE, HANDOFF_SOLVED, createHandoffDialogs } from './handoff-dialogs';
import type { HandoffConfirmOptions, HandoffFollowUpOptions } from './handoff-dialogs';
import type { HandoffPort, HandoffStatus } from './handoff-port';
import type { StepChecks } from './checks/types';
import { named } from './named-step';
import { Replies } from './replies';
import { decide } from './routing';
import type { Thresholds } from './routing';
import { fill } from './text';
import { NEW_PROGRESS, TROUBLESHOOT_DIALOG, createTroubleshootDialog } from './troubleshoot-dialog';
import type { ConversationProgress, NotedSizes, TroubleshootOptions, UserHistory } from './troubleshoot-dialog';
import { formatSize } from './checks/sizes';
import { compareSizes } from './checks/storage-space';
import { getTurnUnderstanding } from './turn-understanding';

export const MAIN_DIALOG = 'main';
const ROUTE = 'main.route';
const CLARIFY = 'main.clarify';
const CLARIFY_PROMPT = 'main.clarify.prompt';
const STOP = 'main.stop';
const STOP_PROMPT = 'main.stop.prompt';

export interface MainDialogDeps {
  content: Content;
  checks: StepChecks;
  thresholds: Thresholds;
  progress: StatePropertyAccessor<ConversationProgress>;
  history: StatePropertyAccessor<UserHistory>;
  /** Fix outcomes and escalations, for whoever listens (metrics). */
  events: BotEvents;
  /** Notes each fix's steps and answers, for a hand-off's summary. */
  journal?: FixJournal;
  /** The hand-off to a person; without it "talk to a person" gives the support contacts. */
  handoff?: HandoffPort;
  /** Where the optional rating goes, and whether this conversation was asked; without it no rating is asked. */
  csat?: { port: CsatPort; asked: StatePropertyAccessor<boolean> };
}

/** How the bot is asked to start somewhere other than routing a message (a hand-off's follow-up). */
export interface MainDialogStart {
  start: typeof HANDOFF_SOLVED | typeof HANDOFF_MESSAGE;
  handoffId: string;
}

/** Messages in a row not understood before a person is offered (when hand-off is set up). */
const MISUNDERSTOOD_OFFER = 3;

interface ClarifyResult {
  /** The reading the user picked; undefined for "none of these". */
  clarified?: IntentName;
  /** The answer was none of the buttons: route it as a new message. */
  reroute?: boolean;
}


/**
 * The conversation's root: routes a message to a fix (or answers it), asks
 * when unsure, and lets help / cancel / human interrupt any step.
 */
export class MainDialog extends ComponentDialog {
  private readonly content: Content;
  private readonly thresholds: Thresholds;
  private readonly progress: StatePropertyAccessor<ConversationProgress>;
  private readonly events: BotEvents;
  private readonly fixIntents: ReadonlySet<IntentName>;
  /** The fix whose check reads sizes (fix 2) and that check, if the content has one. */
  private readonly sizeFix?: { id: string; intent: IntentName; step: CheckStep };
  private readonly lexicon: AnswerLexicon;
  private readonly handoff?: HandoffPort;
  readonly replies: Replies;

  constructor(deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    for (const key of ['content', 'checks', 'thresholds', 'progress', 'history', 'events'] as const) {
      if (!deps[key]) throw new Error(`MainDialog needs "${key}"`);
    }
    this.content = deps.content;
    this.thresholds = deps.thresholds;
    this.progress = deps.progress;
    this.events = deps.events;
    this.handoff = deps.handoff;
    this.replies = new Replies(deps.content);
    this.fixIntents = new Set(deps.content.fixes.map((f) => f.intent));
    for (const f of deps.content.fixes) {
      const step = f.steps.find((s): s is CheckStep => s.kind === 'check' && s.check === 'storage-space');
      if (step && !this.sizeFix) this.sizeFix = { id: f.id, intent: f.intent, step };
    }

    const { messages, fixes } = deps.content;
    const lexicon = answerLexicon(messages, deps.thresholds.answers);
    this.lexicon = lexicon;
    for (const fix of fixes) this.addDialog(new FixDialog(fix, messages, deps.checks, fixes.length, lexicon, deps.journal, deps.events));
    const offerPerson = deps.handoff
      ? (turn: WaterfallStepContext) => turn.replaceDialog(HANDOFF_CONFIRM, { offer: 'escalation' } satisfies HandoffConfirmOptions)
      : undefined;
    const askRating = deps.csat ? (turn: WaterfallStepContext, after: CsatAfter) => turn.replaceDialog(CSAT_DIALOG, { after } satisfies CsatOptions) : undefined;
    if (deps.csat) for (const d of createCsatDialogs({ messages, lexicon, port: deps.csat.port, asked: deps.csat.asked })) this.addDialog(d);
    this.addDialog(createTroubleshootDialog({ ...deps, replies: this.replies, offerPerson, ...(askRating ? { askRating: (turn) => askRating(turn, 'fix') } : {}) }));
    if (deps.handoff) {
      if (!deps.journal) throw new Error('MainDialog needs a journal when hand-off is set up');
      for (const d of createHandoffDialogs({ messages, lexicon, port: deps.handoff, journal: deps.journal, replies: this.replies, events: deps.events, ...(askRating ? { askRating: (turn) => askRating(turn, 'handoff') } : {}) })) this.addDialog(d);
    }
    // Accepts any answer: one that matches no button is routed afresh rather than asked again forever.
    this.addDialog(createAnswerPrompt(CLARIFY_PROMPT, messages, lexicon, true));
    this.addDialog(this.createClarifyDialog());
    this.addDialog(createAnswerPrompt(STOP_PROMPT, messages, lexicon));
    this.addDialog(this.createStopDialog());
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
    const decision = decide(parse, { thresholds: this.thresholds, menu: messages.menu, androidWords: messages.androidWords, fixIntents: this.fixIntents });
    const progress = await this.progress.get(turn.context, NEW_PROGRESS());
    const heard = (outcome: Understanding['outcome']) => this.events.understanding(turn.context, { text: parse.text, readings: parse.intent_ranking.slice(0, 3), outcome });
    // Understood right after a message that was not: the user put the same thing another way.
    if (decision.kind !== 'fallback' && progress.misunderstood > 0) heard('rephrased');
    switch (decision.kind) {
      case 'route':
        progress.misunderstood = 0;
        return this.act(turn, decision.intent, parse.entities);
      case 'android':
        progress.misunderstood = 0;
        this.events.android(turn.context);
        await turn.context.sendActivity(messages.text.android);
        return turn.endDialog();
      case 'clarify':
        progress.misunderstood = 0;
        heard('clarify');
        return turn.beginDialog(CLARIFY, { intents: decision.intents });
      case 'fallback':
        heard('fallback');
        progress.misunderstood += 1;
        if (this.handoff && progress.misunderstood >= MISUNDERSTOOD_OFFER) {
          progress.misunderstood = 0;
          return turn.beginDialog(HANDOFF_CONFIRM, { offer: 'misunderstood' } satisfies HandoffConfirmOptions);
        }
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
        if (this.handoff) return dc.beginDialog(HANDOFF_CONFIRM, { offer: 'asked' } satisfies HandoffConfirmOptions);
        await this.replies.human(context);
        return dc.endDialog();
      case 'none':
        this.events.outOfScope(context);
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
        const labels = [...turn.options.intents.map((i) => messages.intentLabels[i] ?? i), messages.text.clarify_other];
        const options = labels.map((label) => ({ label, means: [], words: [] }));
        return turn.prompt(CLARIFY_PROMPT, answerPromptOptions('clarify', messages.text.clarify, messages.text.question_reprompt, options));
      }),
      named(`${CLARIFY}.answer`, async (turn: WaterfallStepContext<{ intents: IntentName[] }>) => {
        const found = turn.result as AnswerResult | undefined;
        if (!found) return turn.endDialog({ reroute: true } satisfies ClarifyResult);
        const chosen = turn.options.intents[found.index];
        if (!chosen) await turn.context.sendActivity(messages.text.fallback);
        return turn.endDialog({ clarified: chosen } satisfies ClarifyResult);
      }),
    ]);
  }

  /**
   * "Stop troubleshooting?" asked before a running fix is cancelled: a
   * misread word must never wipe the user's progress.
   */
  private createStopDialog(): WaterfallDialog {
    const { text } = this.content.messages;
    const options = [buttonOption(this.content.messages, 'stop_yes'), buttonOption(this.content.messages, 'stop_no')];
    return new WaterfallDialog(STOP, [
      named(`${STOP}.ask`, (turn: WaterfallStepContext) =>
        turn.prompt(STOP_PROMPT, answerPromptOptions('stop', text.stop_confirm, text.stop_confirm, options)),
      ),
      named(`${STOP}.answer`, async (turn: WaterfallStepContext) => {
        if ((turn.result as AnswerResult).index === 0) return this.stopNow(turn);
        await turn.context.sendActivity(text.carry_on);
        // Ending here resumes the fix underneath, which asks its question again.
        return turn.endDialog();
      }),
    ]);
  }

  private async stopNow(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.cancelAllDialogs();
    await this.progress.set(dc.context, NEW_PROGRESS());
    await this.replies.menu(dc.context, this.content.messages.text.cancelled);
    return { status: DialogTurnStatus.complete };
  }

  /** A hand-off's follow-up (set by `handoffStatus`) starts its own dialog instead of routing a message. */
  protected override async onBeginDialog(innerDC: DialogContext, options?: Partial<MainDialogStart>): Promise<DialogTurnResult> {
    if (options?.start && options.handoffId) return innerDC.beginDialog(options.start, { handoffId: options.handoffId } satisfies HandoffFollowUpOptions);
    return super.onBeginDialog(innerDC, options);
  }

  /**
   * A desk's answer (`handoff.status`) in the user's conversation: tells the
   * user where they are in the queue, who joined, or that no one could take
   * the chat (then offers to take a message); when the agent has left, asks
   * whether the problem is solved. `dc` is the bot's root dialog context.
   */
  async handoffStatus(dc: DialogContext, status: HandoffStatus): Promise<void> {
    if (!this.handoff || !(await this.handoff.apply(dc.context, status))) return;
    const { text } = this.content.messages;
    const context = dc.context;
    switch (status.state) {
      case 'queued': {
        const minutes = Math.max(1, Math.round(status.waitSeconds / 60));
        const wait = minutes === 1 ? text.handoff_wait_minute : fill(text.handoff_wait_minutes, { minutes });
        await context.sendActivity(messageWithButtons(context.activity.channelId, fill(text.handoff_queued, { position: status.position, wait }), [text.handoff_leave]));
        return;
      }
      case 'accepted':
        await context.sendActivity(fill(text.handoff_joined, { agent: status.agentName }));
        return;
      case 'failed': {
        const why = status.reason === 'outside_hours' ? fill(text.handoff_closed, { hours: this.handoff.supportHours() }) : status.reason === 'timeout' ? text.handoff_timeout : text.handoff_no_agents;
        await context.sendActivity(`${why}\n\n${text.handoff_links}\n\n${this.replies.supportLinks()}`);
        await dc.cancelAllDialogs();
        await dc.beginDialog(MAIN_DIALOG, { start: HANDOFF_MESSAGE, handoffId: status.handoffId } satisfies MainDialogStart);
        return;
      }
      case 'completed':
        await context.sendActivity(fill(text.handoff_ended, { agent: await this.handoff.agentName(status.handoffId) }));
        await dc.cancelAllDialogs();
        await dc.beginDialog(MAIN_DIALOG, { start: HANDOFF_SOLVED, handoffId: status.handoffId } satisfies MainDialogStart);
        return;
    }
  }

  /**
   * Every message while a prompt waits goes through one decision
   * (`decideInFix`): an answer to the question on screen wins; "it works now"
   * ends the running fix as solved; help and "talk to a person" answer and
   * resume; a wish to stop is confirmed first; a clear new symptom switches.
   */
  protected override async onContinueDialog(innerDC: DialogContext): Promise<DialogTurnResult> {
    const parse = getTurnUnderstanding(innerDC.context);
    if (!parse) return super.onContinueDialog(innerDC);
    // A message for the support team is taken word for word, never read as a request.
    if (innerDC.stack.some((d) => d.id === HANDOFF_MESSAGE)) return super.onContinueDialog(innerDC);
    const { text } = this.content.messages;
    const context = innerDC.context;
    const runningFix = this.content.fixes.find((f) => f.id === innerDC.activeDialog?.id);
    const prompt = activePromptSpec(innerDC);
    const sizeCheck = this.sizeCheck(innerDC);
    const action = decideInFix({
      recognized: prompt ? recognizeForTurn(context, prompt, this.lexicon) : { kind: 'none' },
      parse,
      route: this.thresholds.route,
      runningFix: runningFix?.intent,
      fixIntents: this.fixIntents,
      personLabel: text.talk_to_person,
      ...(prompt ? { promptKind: prompt.kind } : {}),
      ...(sizeCheck ? { sizeCheck } : {}),
    });
    // Sizes given at a step that asked something else are kept for the size check, whatever the message does.
    const noted = runningFix && volunteersSizes(parse, prompt?.kind) ? await this.noteSizes(context, parse.entities) : undefined;
    switch (action.kind) {
      case 'answer':
        return super.onContinueDialog(innerDC);
      case 'solved':
        return innerDC.endDialog({ fixId: runningFix!.id, solved: true, verified: true } satisfies FixResult);
      case 'help':
      case 'human':
        if (action.kind === 'human' && this.handoff) {
          // Over a running fix, so declining asks its step again; anything else is simply replaced.
          if (!runningFix) await innerDC.cancelAllDialogs();
          return innerDC.beginDialog(HANDOFF_CONFIRM, { offer: 'asked' } satisfies HandoffConfirmOptions);
        }
        // Without a hand-off set up: the support contacts, then carry on.
        if (action.kind === 'help') await context.sendActivity(text.help);
        else await this.replies.human(context);
        await context.sendActivity(text.help_resume);
        await innerDC.repromptDialog();
        return Dialog.EndOfTurn;
      case 'stop':
        return runningFix ? innerDC.beginDialog(STOP) : this.stopNow(innerDC);
      case 'switch':
        await innerDC.cancelAllDialogs();
        await context.sendActivity(text.switch_fix);
        return this.act(innerDC, action.intent, parse.entities);
      case 'sizes': {
        const known = (await this.progress.get(context, NEW_PROGRESS())).sizes ?? {};
        await context.sendActivity(this.sizesNotedText(noted ?? {}, known, sizeCheck?.ahead === true));
        await innerDC.repromptDialog();
        return Dialog.EndOfTurn;
      }
    }
  }

  /** The size check's fix and whether this run of fixes has it still to come (after the one running). */
  private sizeCheck(innerDC: DialogContext): { intent: IntentName; ahead: boolean } | undefined {
    if (!this.sizeFix) return undefined;
    const run = innerDC.stack.find((d) => d.id === TROUBLESHOOT_DIALOG)?.state as { options?: Partial<TroubleshootOptions> } | undefined;
    const queue = run?.options?.queue ?? [];
    return { intent: this.sizeFix.intent, ahead: queue.slice(1).includes(this.sizeFix.id) };
  }

  /** Keeps the message's sizes (the newest of each kind wins); returns the ones it gave. */
  private async noteSizes(context: TurnContext, entities: readonly Entity[]): Promise<NotedSizes> {
    const given: NotedSizes = {};
    for (const e of entities) if (e.entity === 'size' && e.role && given[e.role] === undefined) given[e.role] = e.value;
    const progress = await this.progress.get(context, NEW_PROGRESS());
    progress.sizes = { ...progress.sizes, ...given };
    return given;
  }

  /**
   * "Noted: …", then either that the size check will use it (still to come)
   * or, when it will not come again and both sizes are known, its comparison now.
   */
  private sizesNotedText(given: NotedSizes, known: NotedSizes, ahead: boolean): string {
    const { text } = this.content.messages;
    const key = given.backup !== undefined && given.free !== undefined ? 'sizes_noted_both' : given.backup !== undefined ? 'sizes_noted_backup' : 'sizes_noted_free';
    const noted = fill(text[key], { backup: formatSize(given.backup ?? 0), free: formatSize(given.free ?? 0) });
    if (ahead) return `${noted} ${text.sizes_for_later}`;
    if (!this.sizeFix || known.backup === undefined || known.free === undefined) return noted;
    return `${noted}\n\n${compareSizes(this.sizeFix.step, known.backup, known.free).text}\n\n${text.sizes_back_to_step}`;
  }
}
