/** Intent names are a public contract (DESIGN.md): dialogs and the parse API use them. */
export const INTENTS = [
  'greeting',
  'help',
  'backup_not_working',
  'check_icloud_access',
  'check_storage',
  'manual_backup',
  'icloud_status',
  'restart_iphone',
  'update_software',
  'exclude_videos',
  'delete_old_backup',
  'human_agent',
  'cancel',
  'thanks',
  'none',
] as const;
export type IntentName = (typeof INTENTS)[number];

/**
 * What an answer typed at one of the bot's prompts means, whatever the prompt:
 * the content says which button each meaning stands for (`means:`).
 */
export const ANSWER_INTENTS = ['affirm', 'deny', 'done', 'cant_find', 'already', 'solved', 'still_failing', 'dont_know'] as const;
export type AnswerIntent = (typeof ANSWER_INTENTS)[number];
/** The answer model's labels: the answer intents, and `other` for a message that answers nothing. */
export const ANSWER_LABELS = [...ANSWER_INTENTS, 'other'] as const;
export type AnswerLabel = (typeof ANSWER_LABELS)[number];

export interface AnswerScore {
  name: AnswerLabel;
  confidence: number;
}

export interface IntentScore {
  name: IntentName;
  /** 0..1; the ranking's confidences sum to 1. */
  confidence: number;
}

/** A data size the user mentioned, normalised to decimal gigabytes (Apple's unit). */
export interface SizeEntity {
  entity: 'size';
  /** Gigabytes (1 GB = 1000 MB, as iOS shows sizes). */
  value: number;
  /** What the size is of, when the words around it make it clear. */
  role?: 'backup' | 'free';
  text: string;
  start: number;
  end: number;
}

export interface DeviceEntity {
  entity: 'iphone_model' | 'ios_version';
  value: string;
  text: string;
  start: number;
  end: number;
}

export type Entity = SizeEntity | DeviceEntity;

/** The shape of Rasa's /model/parse answer, which our /api/nlu/parse returns. */
export interface ParseResult {
  text: string;
  intent: IntentScore;
  intent_ranking: IntentScore[];
  entities: Entity[];
  /** How the text reads as an answer to a prompt, best first (empty without an answer model). */
  answer_ranking: AnswerScore[];
}

export interface Nlu {
  parse(text: string): ParseResult;
}

/** Training content for one label, as loaded from intents/<name>.yaml (or intents/answers/<name>.yaml). */
export interface LabelExamples<L extends string> {
  intent: L;
  examples: string[];
  /** Where it came from, for error messages. */
  file: string;
  /** 1-based line of each example, same order as `examples`. */
  lines: number[];
}

export type IntentExamples = LabelExamples<IntentName>;
export type AnswerExamples = LabelExamples<AnswerLabel>;
