import { DialogTurnStatus, WaterfallDialog } from 'botbuilder-dialogs';
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Messages } from '../content/types';
import type { AnswerResult } from './answers/answer-prompt';
import { answerPromptOptions, buttonOption, createAnswerPrompt } from './answers/prompts';
import type { AnswerLexicon } from './answers/recognize-answer';
import type { BotEvents } from '../bot/bot-events';
import type { FixJournal } from './fix-journal';
import type { HandoffPort } from './handoff-port';
import { named } from './named-step';
import type { Replies } from './replies';

export const HANDOFF_CONFIRM = 'handoff.confirm';
export const HANDOFF_SOLVED = 'handoff.solved';
export const HANDOFF_MESSAGE = 'handoff.message';
const CONFIRM_PROMPT = 'handoff.confirm.prompt';
const SOLVED_PROMPT = 'handoff.solved.prompt';
const MESSAGE_PROMPT = 'handoff.message.prompt';

/** Why the bot asks whether the user wants a person. */
export interface HandoffConfirmOptions {
  offer: 'asked' | 'escalation' | 'misunderstood';
}

export interface HandoffFollowUpOptions {
  handoffId: string;
}

export interface HandoffDialogDeps {
  messages: Messages;
  lexicon: AnswerLexicon;
  port: HandoffPort;
  journal: FixJournal;
  events: BotEvents;
  /** After "is it solved?": the one optional rating, if ratings are set up. */
  askRating?: (turn: WaterfallStepContext) => Promise<DialogTurnResult>;
  replies: Replies;
}

/**
 * The hand-off's own dialogs: confirm before queueing (a typed "yes please"
 * counts), ask whether the problem is solved once the agent has left, and
 * take a message for the agents when no one was available.
 */
export function createHandoffDialogs({ messages, lexicon, port, journal, replies, events, askRating }: HandoffDialogDeps): Dialog[] {
  const { text } = messages;
  const offers: Record<HandoffConfirmOptions['offer'], string> = {
    asked: text.handoff_confirm,
    escalation: text.handoff_offer_escalation,
    misunderstood: text.handoff_offer_misunderstood,
  };
  const yesNo = [buttonOption(messages, 'handoff_yes'), buttonOption(messages, 'handoff_no')];
  const solvedOptions = [buttonOption(messages, 'verify_yes'), buttonOption(messages, 'verify_no')];
  const noMessage = [buttonOption(messages, 'handoff_no_message')];

  const confirm = new WaterfallDialog(HANDOFF_CONFIRM, [
    named(`${HANDOFF_CONFIRM}.ask`, (turn: WaterfallStepContext<HandoffConfirmOptions>) => {
      const offer = offers[turn.options?.offer ?? 'asked'];
      return turn.prompt(CONFIRM_PROMPT, answerPromptOptions('handoff', offer, offer, yesNo));
    }),
    named(`${HANDOFF_CONFIRM}.answer`, async (turn: WaterfallStepContext<HandoffConfirmOptions>): Promise<DialogTurnResult> => {
      if ((turn.result as AnswerResult).index !== 0) {
        await turn.context.sendActivity(text.handoff_declined);
        // Ending resumes what was underneath: a fix asks its step again.
        return turn.endDialog();
      }
      await turn.context.sendActivity(text.handoff_requested);
      const tried = await journal.read(turn.context);
      // The conversation is the agent's now; when it comes back, the bot starts afresh (progress is kept).
      await turn.cancelAllDialogs();
      await port.request(turn.context, tried);
      events.handedOff(turn.context);
      return { status: DialogTurnStatus.complete };
    }),
  ]);

  const solved = new WaterfallDialog(HANDOFF_SOLVED, [
    named(`${HANDOFF_SOLVED}.ask`, (turn: WaterfallStepContext<HandoffFollowUpOptions>) =>
      turn.prompt(SOLVED_PROMPT, answerPromptOptions('verify', text.handoff_ask_solved, text.handoff_ask_solved, solvedOptions)),
    ),
    named(`${HANDOFF_SOLVED}.answer`, async (turn: WaterfallStepContext<HandoffFollowUpOptions>) => {
      const isSolved = (turn.result as AnswerResult).index === 0;
      await port.recordOutcome(turn.options.handoffId, isSolved);
      if (isSolved) await turn.context.sendActivity(text.handoff_solved_yes);
      else await replies.menu(turn.context, text.handoff_solved_no);
      return askRating ? askRating(turn) : turn.endDialog();
    }),
  ]);

  const leaveMessage = new WaterfallDialog(HANDOFF_MESSAGE, [
    named(`${HANDOFF_MESSAGE}.ask`, (turn: WaterfallStepContext<HandoffFollowUpOptions>) =>
      turn.prompt(MESSAGE_PROMPT, answerPromptOptions('handoff', text.handoff_leave_message, text.handoff_leave_message, noMessage)),
    ),
    named(`${HANDOFF_MESSAGE}.answer`, async (turn: WaterfallStepContext<HandoffFollowUpOptions>) => {
      // Anything but "no thanks" is the message, word for word.
      if (turn.result === undefined) {
        await port.leaveMessage(turn.options.handoffId, turn.context.activity.text ?? '');
        await turn.context.sendActivity(text.handoff_message_saved);
      } else {
        await turn.context.sendActivity(text.handoff_no_message_ok);
      }
      return turn.endDialog();
    }),
  ]);

  return [
    createAnswerPrompt(CONFIRM_PROMPT, messages, lexicon),
    createAnswerPrompt(SOLVED_PROMPT, messages, lexicon),
    createAnswerPrompt(MESSAGE_PROMPT, messages, lexicon, true),
    confirm,
    solved,
    leaveMessage,
  ];
}
