import { WaterfallDialog } from 'botbuilder-dialogs';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor } from 'botbuilder-core';
import type { BotEvents } from '../bot/bot-events';
import type { Content } from '../content/types';
import type { Entity } from '../nlu/types';
import type { FixOptions, FixResult } from './fix-dialog';
import type { FixJournal } from './fix-journal';
import { named } from './named-step';
import type { Replies } from './replies';
import { fill } from './text';

export const TROUBLESHOOT_DIALOG = 'troubleshoot';

export interface TroubleshootOptions {
  /** Fix ids still to try, in order; the first runs now. */
  queue: string[];
  entities?: Entity[];
}

/** Sizes in decimal GB the user gave along the way, for the size check. */
export interface NotedSizes {
  backup?: number;
  free?: number;
}

/** What this conversation has tried; kept in conversation state. */
export interface ConversationProgress {
  tried: string[];
  /** Messages in a row the bot could not understand. */
  misunderstood: number;
  /** Sizes the user gave at steps that asked something else ("3.2 GB free, backup 4 GB"). */
  sizes?: NotedSizes;
}

/** The progress of a conversation that has tried nothing yet. */
export const NEW_PROGRESS = (): ConversationProgress => ({ tried: [], misunderstood: 0 });

/** Per user: which fix solved it, for the record (and for reporting). */
export interface UserHistory {
  solvedBy: Array<{ fixId: string; at: string }>;
}

export interface TroubleshootDeps {
  content: Content;
  replies: Replies;
  progress: StatePropertyAccessor<ConversationProgress>;
  history: StatePropertyAccessor<UserHistory>;
  events: BotEvents;
  journal?: FixJournal;
  /** After a fix worked: asks for the one optional rating, if ratings are set up. */
  askRating?: (turn: WaterfallStepContext) => Promise<DialogTurnResult | undefined>;
  /** After the last fix failed and the support links were given: offers a person, if hand-off is set up. */
  offerPerson?: (turn: WaterfallStepContext) => Promise<DialogTurnResult | undefined>;
}

/**
 * Runs fixes one after another: the first in the queue, then (if it did not
 * help) the next, until one works or none is left and the bot escalates.
 */
export function createTroubleshootDialog({ content, replies, progress, history, events, journal, offerPerson, askRating }: TroubleshootDeps): WaterfallDialog {
  const titles = new Map(content.fixes.map((f) => [f.id, f.title]));
  const fixes = new Map(content.fixes.map((f) => [f.id, f]));
  return new WaterfallDialog(TROUBLESHOOT_DIALOG, [
    named(`${TROUBLESHOOT_DIALOG}.run`, async (turn: WaterfallStepContext<TroubleshootOptions>) => {
      const [fixId] = turn.options.queue;
      events.fixStarted(turn.context, fixId!);
      const { sizes } = await progress.get(turn.context, NEW_PROGRESS());
      return turn.beginDialog(fixId!, { entities: turn.options.entities, ...(sizes ? { sizes } : {}) } satisfies FixOptions);
    }),
    named(`${TROUBLESHOOT_DIALOG}.next`, async (turn: WaterfallStepContext<TroubleshootOptions>) => {
      const result = turn.result as FixResult;
      const state = await progress.get(turn.context, NEW_PROGRESS());
      if (!state.tried.includes(result.fixId)) state.tried.push(result.fixId);
      events.fixFinished(turn.context, result.fixId, result.solved);
      const fix = fixes.get(result.fixId);
      if (journal && fix) await journal.outcome(turn.context, fix, result.solved ? 'solved' : result.verified ? 'not solved' : 'nothing to change');

      if (result.solved) {
        const record = await history.get(turn.context, { solvedBy: [] });
        record.solvedBy.push({ fixId: result.fixId, at: new Date().toISOString() });
        await turn.context.sendActivity(fill(content.messages.text.solved, { title: titles.get(result.fixId) ?? result.fixId }));
        return (await askRating?.(turn)) ?? turn.endDialog(result);
      }
      const rest = turn.options.queue.slice(1);
      const [next] = rest;
      if (next === undefined) {
        await turn.context.sendActivity(content.messages.text.all_tried);
        await replies.escalation(turn.context);
        events.escalated(turn.context);
        return (await offerPerson?.(turn)) ?? turn.endDialog(result);
      }
      const transition = result.verified ? content.messages.text.next_fix : content.messages.text.move_on;
      await turn.context.sendActivity(fill(transition, { title: titles.get(next) ?? next }));
      return turn.replaceDialog(TROUBLESHOOT_DIALOG, { ...turn.options, queue: rest } satisfies TroubleshootOptions);
    }),
  ]);
}
