import type { AnswerIntent, IntentName } from '../nlu/types';

/** Step ids (and check outcomes / question answers) that a later step depends on. */
export type Condition = Readonly<Record<string, readonly string[]>>;

interface StepBase {
  id: string;
  /** Run this step only when earlier answers match (step id → accepted values). */
  when?: Condition;
}

/** Something the user does on their phone, confirmed before the next step. */
export interface InstructionStep extends StepBase {
  kind: 'instruction';
  say: string;
  /** Extra help for "I can't find it". */
  help: string;
  /** Reply to "It was already like that", when that deserves more than moving on. */
  already?: string;
}

/**
 * How a button is recognised when the user types instead of pressing it:
 * the answer intents it stands for, and words of its own ("face id", "yellow").
 */
export interface AnswerMeaning {
  means: readonly AnswerIntent[];
  words: readonly string[];
}

export interface QuestionChoice extends AnswerMeaning {
  value: string;
  label: string;
}

/** A question whose answer later steps branch on (`when`). */
export interface QuestionStep extends StepBase {
  kind: 'question';
  say: string;
  choices: readonly QuestionChoice[];
  /** Said when the user doesn't know the answer (how to find out), before the question is asked again. */
  unsure?: string;
}

/** Something the bot only tells, with no confirmation (e.g. a conditional note). */
export interface MessageStep extends StepBase {
  kind: 'message';
  say: string;
}

/** A step run by code (arithmetic, a live lookup); its outcome is a value later steps branch on. */
export interface CheckStep extends StepBase {
  kind: 'check';
  check: string;
  /** Everything the check says, as templates with {placeholders}. */
  text: Readonly<Record<string, string>>;
  /** Numbers the check uses, kept in content (e.g. the free-space factor). */
  settings: Readonly<Record<string, number | string>>;
}

export type Step = InstructionStep | QuestionStep | MessageStep | CheckStep;

export interface FixDefinition {
  id: string;
  title: string;
  /** The intent that starts the troubleshooting at this fix. */
  intent: IntentName;
  /** Position in the full sequence, 1-based. */
  order: number;
  intro: string;
  steps: readonly Step[];
  /** Replaces the generic "Is the backup working now?" for this fix. */
  verify?: string;
  /** When earlier answers show this fix changed nothing (any of these holds), skip "is it working now?" and move on. */
  skipVerifyWhen?: readonly Condition[];
  file: string;
  /** Hash of the fix's content: a conversation stored mid-fix notices edits. */
  version: string;
}

export interface Link {
  label: string;
  url: string;
}

export interface EscalationDefinition {
  say: string;
  links: readonly Link[];
  /** Said after the links: what a person can do next. */
  after: string;
}

export interface MenuItem {
  label: string;
  intent: IntentName;
}

/** The bot's fixed sentences; keys are checked at load so code never meets a missing one. */
export const MESSAGE_KEYS = [
  'welcome',
  'menu_prompt',
  'greeting',
  'help',
  'help_resume',
  'cancelled',
  'nothing_to_cancel',
  'human',
  'thanks',
  'out_of_scope',
  'android',
  'fallback',
  'fallback_again',
  'clarify',
  'clarify_other',
  'step_reprompt',
  'still_cant_find',
  'already_ok',
  'question_reprompt',
  'reprompt_person',
  'talk_to_person',
  'verify',
  'verify_reprompt',
  'verify_unsure',
  'verify_yes',
  'verify_no',
  'still_failing_ack',
  'sizes_noted_both',
  'sizes_noted_backup',
  'sizes_noted_free',
  'sizes_for_later',
  'sizes_back_to_step',
  'stop_confirm',
  'stop_yes',
  'stop_no',
  'carry_on',
  'solved',
  'fix_heading',
  'next_fix',
  'move_on',
  'switch_fix',
  'resume_untried',
  'all_tried',
  'content_changed',
  'error',
  'store_unavailable',
  'choice_done',
  'choice_cant_find',
  'choice_already',
  // The hand-off to a person.
  'handoff_confirm',
  'handoff_offer_escalation',
  'handoff_offer_misunderstood',
  'handoff_yes',
  'handoff_no',
  'handoff_declined',
  'handoff_requested',
  'handoff_queued',
  'handoff_wait_minute',
  'handoff_wait_minutes',
  'handoff_still_waiting',
  'handoff_leave',
  'handoff_left',
  'handoff_joined',
  'handoff_ended',
  'handoff_ask_solved',
  'handoff_solved_yes',
  'handoff_solved_no',
  'handoff_closed',
  'handoff_timeout',
  'handoff_no_agents',
  'handoff_links',
  'handoff_leave_message',
  'handoff_no_message',
  'handoff_message_saved',
  'handoff_no_message_ok',
  // The one optional rating per conversation, and "delete my data".
  'csat_ask',
  'csat_skip',
  'csat_comment_ask',
  'csat_no_comment',
  'csat_thanks',
  'csat_skipped',
  'data_deleted',
  // What agents in Teams are told (src/handoff/teams-agents.ts).
  'agent_card_heading',
  'agent_card_asked',
  'agent_card_fixes',
  'agent_card_sizes',
  'agent_card_devices',
  'agent_card_accept',
  'agent_queue_empty',
  'agent_queue_heading',
  'agent_accepted',
  'agent_taken',
  'agent_no_such',
  'agent_busy',
  'agent_ended',
  'agent_nothing_to_end',
  'agent_user_gone',
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

/** The bot's own buttons (their labels are in `text`), each with what it means when typed. */
export const BUTTON_KEYS = [
  'choice_done',
  'choice_cant_find',
  'choice_already',
  'verify_yes',
  'verify_no',
  'stop_yes',
  'stop_no',
  'handoff_yes',
  'handoff_no',
  'handoff_leave',
  'handoff_no_message',
] as const;
export type ButtonKey = (typeof BUTTON_KEYS)[number];

export interface Messages {
  text: Readonly<Record<MessageKey, string>>;
  menu: readonly MenuItem[];
  /** Button labels for intents when the bot asks which reading was meant. */
  intentLabels: Readonly<Partial<Record<IntentName, string>>>;
  /** Words that mark a message as about Android / Google Drive. */
  androidWords: readonly string[];
  /** Whole messages that ask the bot to delete what the user wrote ("delete my data"), folded. */
  deleteDataPhrases: readonly string[];
  /** What each of the bot's own buttons means when typed. */
  answers: Readonly<Record<ButtonKey, AnswerMeaning>>;
  /** Words that carry a meaning on their own ("yep", "nope"): every button that means it understands them. */
  answerWords: Readonly<Partial<Record<AnswerIntent, readonly string[]>>>;
}

export interface Content {
  fixes: readonly FixDefinition[];
  escalation: EscalationDefinition;
  messages: Messages;
  /** Hash of all dialog content, reported by /healthz. */
  hash: string;
}
