/**
 * The NLU's public face: train a parser from the intent examples, read the
 * thresholds the router uses, extract entities, and evaluate on labelled data.
 */
export { createNlu, DEFAULT_NLU_OPTIONS } from './classifier';
export type { NluOptions } from './classifier';
export { DEFAULT_THRESHOLDS } from './thresholds';
export { DEFAULT_ANSWER_THRESHOLDS } from './answer-thresholds';
export type { Thresholds } from './thresholds';
export { extractEntities, extractSizes, extractDevices } from './entities';
export {
  evaluate,
  formatReport,
  formatSections,
  macroF1,
  summarize,
  thresholdCurve,
  thresholdOutcome,
} from './evaluate';
export type {
  Evaluation,
  IntentMetrics,
  LabelledExample,
  Prediction,
  ThresholdOutcome,
  ThresholdPoint,
} from './evaluate';
export { ANSWER_INTENTS, ANSWER_LABELS, INTENTS } from './types';
export type {
  AnswerExamples,
  AnswerIntent,
  AnswerLabel,
  AnswerScore,
  DeviceEntity,
  Entity,
  IntentExamples,
  IntentName,
  IntentScore,
  Nlu,
  ParseResult,
  SizeEntity,
} from './types';
