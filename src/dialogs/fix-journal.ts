import type { StatePropertyAccessor, TurnContext } from 'botbuilder-core';
import type { FixDefinition, Messages, Step } from '../content/types';
import { foldWords } from '../content/fold-words';

/** One fix as the user went through it: each step's prompt and how it was answered, and how it ended. */
export interface JournalFix {
  fix: string;
  title: string;
  steps: Array<{ step: string; prompt: string; answer: string }>;
  outcome: string;
}

// A conversation that keeps going does not grow its state without end.
const MAX_FIXES = 20;

/**
 * The record of the fixes a conversation tried, kept in conversation state
 * for the hand-off summary (what an agent needs first). Written by the fix
 * and troubleshoot dialogs; never read by them.
 */
export class FixJournal {
  constructor(
    private readonly accessor: StatePropertyAccessor<JournalFix[]>,
    private readonly messages: Messages,
  ) {
    if (!accessor || !messages) throw new Error('FixJournal needs a state accessor and the messages');
  }

  read(context: TurnContext): Promise<JournalFix[]> {
    return this.accessor.get(context, []);
  }

  /** Notes how `step` was answered; `value` is what the step produced (an outcome, a choice's value, a check's result). */
  async step(context: TurnContext, fix: FixDefinition, step: Step, value: unknown): Promise<void> {
    const entry = await this.entry(context, fix);
    const label = this.answerLabel(step, value);
    const typed = context.activity.type === 'message' ? (context.activity.text ?? '').trim() : '';
    const answer = typed && foldWords(typed) !== foldWords(label) ? `${label} ("${typed.slice(0, 200)}")` : label;
    entry.steps.push({ step: step.id, prompt: promptOf(step), answer });
  }

  async outcome(context: TurnContext, fix: FixDefinition, outcome: string): Promise<void> {
    (await this.entry(context, fix)).outcome = outcome;
  }

  private async entry(context: TurnContext, fix: FixDefinition): Promise<JournalFix> {
    const fixes = await this.read(context);
    let entry = fixes[fixes.length - 1];
    if (!entry || entry.fix !== fix.id || entry.outcome !== '') {
      entry = { fix: fix.id, title: fix.title, steps: [], outcome: '' };
      fixes.push(entry);
      if (fixes.length > MAX_FIXES) fixes.splice(0, fixes.length - MAX_FIXES);
    }
    return entry;
  }

  private answerLabel(step: Step, value: unknown): string {
    const { text } = this.messages;
    if (step.kind === 'question') return step.choices.find((c) => c.value === value)?.label ?? String(value);
    if (step.kind === 'instruction') {
      if (value === 'done') return text.choice_done;
      if (value === 'already') return text.choice_already;
      if (value === 'skipped') return text.choice_cant_find;
    }
    return String(value);
  }
}

function promptOf(step: Step): string {
  if (step.kind === 'check') return step.id;
  return step.say;
}
