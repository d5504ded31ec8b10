/**
 * `npm run nlu:eval` (second part): how well typed answers are understood at
 * each kind of prompt, through the bot's real decision (`decideInFix`) with
 * the real content, answer model and thresholds.
 *
 * - test/nlu/dev-answers.yaml and dev-answers-2.yaml: the development splits (tuning allowed);
 * - test/nlu/heldout-answers.yaml: the frozen held-out split (never tuned on).
 *
 * Writes reports/answers-eval.md and .json; prints the summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadDialogContent } from '../src/content/load-dialogs';
import { loadNlu } from '../src/content/load-intents';
import type { CheckStep, Content, QuestionStep } from '../src/content/types';
import { CHECK_SPECS } from '../src/dialogs';
import { decideInFix } from '../src/dialogs/answers/decide-in-fix';
import type { InFixAction } from '../src/dialogs/answers/decide-in-fix';
import { unsure } from '../src/dialogs/answers/answer-prompt';
import { answerLexicon, buttonOption } from '../src/dialogs/answers/prompts';
import { recognizeAnswer } from '../src/dialogs/answers/recognize-answer';
import type { PromptSpec } from '../src/dialogs/answers/recognize-answer';
import { sizeAnswer, sizeInReading, sizePromptSpec, whereWordsOf } from '../src/dialogs/checks/storage-space';
import { decide, dialogThresholds, GENERIC_COMPLAINT } from '../src/dialogs/routing';
import type { Thresholds } from '../src/dialogs/routing';
import type { IntentName, Nlu } from '../src/nlu';
import { YamlFile } from '../src/content/yaml-file';
import { DEV_PATH, INDEPENDENT_PATH, loadLabelled, MIXED_PATH, REPO_ROOT, REPORTS_DIR } from './data';
import type { LabelledExample } from '../src/nlu/evaluate';

export const DEV_ANSWERS_PATH = join(REPO_ROOT, 'test', 'nlu', 'dev-answers.yaml');
export const DEV_ANSWERS_2_PATH = join(REPO_ROOT, 'test', 'nlu', 'dev-answers-2.yaml');
export const HELDOUT_ANSWERS_PATH = join(REPO_ROOT, 'test', 'nlu', 'heldout-answers.yaml');

/** The prompt kinds of the answer splits. */
export const ANSWER_PROMPTS = ['instruction', 'verify', 'home_button', 'status_dot', 'size', 'stop_confirm'] as const;
export type AnswerPromptName = (typeof ANSWER_PROMPTS)[number];

export interface TypedAnswer {
  prompt: AnswerPromptName;
  text: string;
  means: string;
  /** For a size: the value meant, in decimal GB. */
  valueGb?: number;
}

export function loadTypedAnswers(path: string): TypedAnswer[] {
  const file = YamlFile.read(path);
  const data = file.toJS() as { version?: unknown; prompts?: Record<string, unknown> };
  if (data?.version !== 1 || !data.prompts || typeof data.prompts !== 'object') throw file.error('SCHEMA', [], 'expected version: 1 and prompts');
  const answers: TypedAnswer[] = [];
  for (const [prompt, list] of Object.entries(data.prompts)) {
    if (!(ANSWER_PROMPTS as readonly string[]).includes(prompt) || !Array.isArray(list)) throw file.error('SCHEMA', ['prompts', prompt], 'unknown prompt kind');
    list.forEach((raw: unknown, i) => {
      const { text, means, value_gb: valueGb } = (raw ?? {}) as { text?: unknown; means?: unknown; value_gb?: unknown };
      if (typeof text !== 'string' || typeof means !== 'string') throw file.error('SCHEMA', ['prompts', prompt, i], 'text and means are required');
      answers.push({ prompt: prompt as AnswerPromptName, text, means, ...(typeof valueGb === 'number' ? { valueGb } : {}) });
    });
  }
  return answers;
}

/** A prompt kind of the split, as the bot shows it: which content it is, and which fix is running meanwhile. */
interface Scene {
  prompt: PromptSpec;
  runningFix: IntentName | undefined;
  /** The size check's fix, and whether it is still to come (it is, at fix 1 of a full run). */
  sizeCheck?: { intent: IntentName; ahead: boolean };
}

function question(content: Content, fixId: string, stepId: string): { step: QuestionStep; intent: IntentName } {
  const fix = content.fixes.find((f) => f.id === fixId);
  const step = fix?.steps.find((s) => s.id === stepId);
  if (!fix || step?.kind !== 'question') throw new Error(`answers-eval: ${fixId}/${stepId} is not a question in the content`);
  return { step, intent: fix.intent };
}

function sizeCheckStep(content: Content): CheckStep {
  const step = content.fixes.flatMap((f) => f.steps).find((s): s is CheckStep => s.kind === 'check' && s.check === 'storage-space');
  if (!step) throw new Error('answers-eval: the storage-space check is missing from the content');
  return step;
}

function scenes(content: Content): Record<AnswerPromptName, Scene> {
  const { messages } = content;
  const home = question(content, 'restart-iphone', 'home-button');
  const dot = question(content, 'apple-status', 'dot-colour');
  const storage = content.fixes.find((f) => f.id === 'icloud-storage');
  const sizeStep = storage?.steps.find((s) => s.kind === 'check' && s.check === 'storage-space');
  if (!storage || sizeStep?.kind !== 'check') throw new Error('answers-eval: the storage-space check is missing from the content');
  const firstFix = content.fixes[0]!.intent;
  const ahead = { intent: storage.intent, ahead: true };
  const behind = { intent: storage.intent, ahead: false };
  return {
    instruction: { prompt: { kind: 'instruction', options: (['choice_done', 'choice_cant_find', 'choice_already'] as const).map((k) => buttonOption(messages, k)) }, runningFix: firstFix, sizeCheck: ahead },
    verify: { prompt: { kind: 'verify', options: [buttonOption(messages, 'verify_yes'), buttonOption(messages, 'verify_no')] }, runningFix: firstFix, sizeCheck: ahead },
    home_button: { prompt: { kind: 'question', options: home.step.choices }, runningFix: home.intent, sizeCheck: behind },
    status_dot: { prompt: { kind: 'question', options: dot.step.choices }, runningFix: dot.intent, sizeCheck: behind },
    size: { prompt: sizePromptSpec(sizeStep), runningFix: storage.intent },
    // While "Stop troubleshooting?" waits, the fix underneath is not the active dialog.
    stop_confirm: { prompt: { kind: 'stop', options: [buttonOption(messages, 'stop_yes'), buttonOption(messages, 'stop_no')] }, runningFix: undefined },
  };
}

/** What the bot did, in words a report reads: "option 1", "solved", "help", "explains how to find out", … */
export function describeAction(action: InFixAction, prompt: PromptSpec): string {
  if (action.kind === 'sizes') return 'notes the sizes';
  if (action.kind !== 'answer') return action.kind === 'switch' ? `switch to ${action.intent}` : action.kind;
  const r = action.recognized;
  if (r.kind === 'option') return `option ${r.index + 1}`;
  // Questions and "did it work?" answer "no idea" / "can't find it" with how to find out (their `unsure`).
  if (r.kind === 'meaning') return unsure(r.intent) && (prompt.kind === 'question' || prompt.kind === 'verify') ? 'explains how to find out' : `meaning ${r.intent}`;
  return r.kind === 'value' ? 'value' : 'not understood';
}

/** The actions that count as understanding each label at each prompt. */
function expected(prompt: AnswerPromptName, means: string): string[] {
  // At an instruction, the step's own help ("I can't find it") answers a plea for help as well as the general help does.
  if (means === 'help') return prompt === 'instruction' ? ['help', 'option 2'] : ['help'];
  if (means === 'cancel') return ['stop'];
  if (means === 'human_agent') return ['human'];
  switch (prompt) {
    case 'instruction':
      return [{ done: 'option 1', cant_find: 'option 2', already: 'option 3', solved: 'solved', still_failing: 'option 1' }[means] ?? '?'];
    case 'verify':
      return means === 'solved' ? ['option 1', 'solved'] : means === 'still_failing' ? ['option 2'] : means === 'dont_know' ? ['explains how to find out'] : ['?'];
    case 'home_button':
      return [{ 'home-button': 'option 1', 'no-home-button': 'option 2', dont_know: 'explains how to find out' }[means] ?? '?'];
    case 'status_dot':
      return [{ green: 'option 1', 'not-green': 'option 2', dont_know: 'explains how to find out' }[means] ?? '?'];
    case 'size':
      // Not giving a size is understood when the bot skips, or (for "where is that?" / a first "can't find it") says where to look and asks again.
      return means === 'size' ? ['value'] : ['option 1', 'gives directions'];
    case 'stop_confirm':
      // A clear "stop" while the question waits stops as surely as "Yes, stop" does.
      return means === 'affirm' ? ['option 1', 'stop'] : means === 'deny' ? ['option 2'] : ['?'];
  }
}

export interface AnswerOutcome extends TypedAnswer {
  did: string;
  right: boolean;
}

export interface AnswerEvaluation {
  total: number;
  accuracy: number;
  /** Per prompt kind, per label: right / total. */
  byLabel: Array<{ prompt: AnswerPromptName; means: string; total: number; right: number }>;
  /** Answers that ended up as a wish to stop where none was meant. */
  falseStops: number;
  outcomes: AnswerOutcome[];
}

export function evaluateAnswers(answers: readonly TypedAnswer[], content: Content, nlu: Nlu, thresholds: Thresholds): AnswerEvaluation {
  const bySceme = scenes(content);
  const fixIntents = new Set(content.fixes.map((f) => f.intent));
  const lexicon = answerLexicon(content.messages, thresholds.answers);
  const whereWords = whereWordsOf(sizeCheckStep(content));
  const outcomes = answers.map((a): AnswerOutcome => {
    const scene = bySceme[a.prompt];
    const parse = nlu.parse(a.text);
    const recognized = recognizeAnswer(scene.prompt, parse, lexicon);
    const action = decideInFix({
      recognized,
      runningFix: scene.runningFix,
      parse,
      route: thresholds.route,
      fixIntents,
      personLabel: content.messages.text.talk_to_person,
      promptKind: scene.prompt.kind,
      ...(scene.sizeCheck ? { sizeCheck: scene.sizeCheck } : {}),
    });
    let did = describeAction(action, scene.prompt);
    // The size question's own reading of the reply, as the check does it (the first time it is asked).
    if (a.prompt === 'size' && action.kind === 'answer' && sizeAnswer(recognized, a.text, whereWords, false) === 'directions') did = 'gives directions';
    // A size counts only when the number read is the one meant (within rounding).
    if (did === 'value' && a.valueGb !== undefined) {
      const read = sizeInReading(parse, 'backup');
      if (read === undefined || Math.abs(read - a.valueGb) > 0.011 * a.valueGb) did = `value ${read ?? '?'} GB`;
    }
    return { ...a, did, right: expected(a.prompt, a.means).includes(did) };
  });
  const byLabel: AnswerEvaluation['byLabel'] = [];
  for (const o of outcomes) {
    let row = byLabel.find((r) => r.prompt === o.prompt && r.means === o.means);
    if (!row) byLabel.push((row = { prompt: o.prompt, means: o.means, total: 0, right: 0 }));
    row.total += 1;
    if (o.right) row.right += 1;
  }
  const right = outcomes.filter((o) => o.right).length;
  return {
    total: outcomes.length,
    accuracy: outcomes.length === 0 ? 0 : right / outcomes.length,
    byLabel,
    falseStops: outcomes.filter((o) => o.did === 'stop' && o.means !== 'cancel').length,
    outcomes,
  };
}

export interface RoutingEvaluation {
  /** Mixed messages routed to the specific cause. */
  mixed: { right: number; total: number };
  /** Generic complaints still routed to the generic start (fix 1). */
  generic: { right: number; total: number };
}

/** Where first messages start troubleshooting, through the bot's own routing (`decide`). */
export function evaluateRouting(messages: readonly LabelledExample[], content: Content, nlu: Nlu, thresholds: Thresholds): RoutingEvaluation {
  const fixIntents = new Set(content.fixes.map((f) => f.intent));
  const rules = { thresholds, menu: content.messages.menu, androidWords: content.messages.androidWords, fixIntents };
  const result: RoutingEvaluation = { mixed: { right: 0, total: 0 }, generic: { right: 0, total: 0 } };
  for (const m of messages) {
    const tally = m.style === 'mixed' ? result.mixed : m.intent === GENERIC_COMPLAINT ? result.generic : undefined;
    if (!tally) continue;
    const decision = decide(nlu.parse(m.text), rules);
    tally.total += 1;
    if (decision.kind === 'route' && decision.intent === m.intent) tally.right += 1;
  }
  return result;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const share = (t: { right: number; total: number }): string => `${t.right}/${t.total} (${pct(t.total === 0 ? 0 : t.right / t.total)})`;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** Which answers without a size got directions (and the question again) rather than the skip: both count as understood. */
function directed(e: AnswerEvaluation): string[] {
  const noSize = e.outcomes.filter((o) => o.prompt === 'size' && o.means !== 'size');
  const given = noSize.filter((o) => o.did === 'gives directions');
  if (given.length === 0) return [];
  return [`At the size question, ${given.length} of the ${noSize.length} answers that gave no size got directions and the question again (a second such answer skips): ${given.map((o) => `"${cell(o.text)}"`).join(', ')}.`, ''];
}

function sections(title: string, e: AnswerEvaluation): string[] {
  return [
    `## ${title}`,
    '',
    `${e.total} answers · understood ${pct(e.accuracy)} · taken as "stop" without meaning it: ${e.falseStops}`,
    '',
    '| prompt | meant | answers | understood |',
    '|---|---|---:|---:|',
    ...e.byLabel.map((r) => `| ${r.prompt} | ${r.means} | ${r.total} | ${pct(r.right / r.total)} |`),
    '',
    ...directed(e),
    `### Not understood (${e.outcomes.filter((o) => !o.right).length})`,
    '',
    '| prompt | text | meant | the bot did |',
    '|---|---|---|---|',
    ...e.outcomes.filter((o) => !o.right).map((o) => `| ${o.prompt} | ${cell(o.text)} | ${o.means} | ${o.did} |`),
    '',
  ];
}

export function loadAnswerSetting(): { content: Content; nlu: Nlu; thresholds: Thresholds } {
  const intents = join(REPO_ROOT, 'intents');
  return {
    content: loadDialogContent(join(REPO_ROOT, 'dialogs'), CHECK_SPECS),
    nlu: loadNlu(intents),
    thresholds: dialogThresholds(),
  };
}

function main(): void {
  const outDir = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : REPORTS_DIR;
  const { content, nlu, thresholds } = loadAnswerSetting();
  const dev = evaluateAnswers([...loadTypedAnswers(DEV_ANSWERS_PATH), ...loadTypedAnswers(DEV_ANSWERS_2_PATH)], content, nlu, thresholds);
  const held = evaluateAnswers(loadTypedAnswers(HELDOUT_ANSWERS_PATH), content, nlu, thresholds);
  const routingDev = evaluateRouting(loadLabelled(DEV_PATH), content, nlu, thresholds);
  const routingHeld = evaluateRouting([...loadLabelled(MIXED_PATH), ...loadLabelled(INDEPENDENT_PATH)], content, nlu, thresholds);
  const md = [
    '# Answer understanding',
    '',
    `Generated by \`npm run nlu:eval\` (scripts/answers-eval.ts): typed answers at each kind of prompt, through the bot's own decision (\`decideInFix\`) with the real content (dialogs/), answer model (intents/answers/) and thresholds (src/nlu/answer-thresholds.ts). "Understood" means the bot did what the answer meant: picked that button, ended the fix as solved, answered "don't know" with how to find out, read the size that was meant, took help / stop / a person as such, or, at the size question, for an answer without a size, skipped or said where to look and asked again (those are listed under each split's table).`,
    '',
    '| split | answers | understood | taken as "stop" without meaning it |',
    '|---|---:|---:|---:|',
    `| held-out (${relative(REPO_ROOT, HELDOUT_ANSWERS_PATH)}, frozen, never tuned on) | ${held.total} | ${pct(held.accuracy)} | ${held.falseStops} |`,
    `| development (${relative(REPO_ROOT, DEV_ANSWERS_PATH)} and ${relative(REPO_ROOT, DEV_ANSWERS_2_PATH)}, tuned on; the second has answers in other languages) | ${dev.total} | ${pct(dev.accuracy)} | ${dev.falseStops} |`,
    '',
    'Target (issue 9): ≥ 95 % of typed answers understood, written by someone who had not read the content.',
    '',
    '## Mixed first messages',
    '',
    'A generic complaint plus a specific cause ("could Apple\'s servers be the problem? my backup keeps failing") should start at the fix for the cause; a generic complaint alone at fix 1. Routing: src/dialogs/routing.ts (`MIXED_CAUSE_MIN`).',
    '',
    '| split | mixed → the specific fix | generic → fix 1 |',
    '|---|---:|---:|',
    `| held-out (${relative(REPO_ROOT, MIXED_PATH)}; generic from ${relative(REPO_ROOT, INDEPENDENT_PATH)}) | ${share(routingHeld.mixed)} | ${share(routingHeld.generic)} |`,
    `| development (${relative(REPO_ROOT, DEV_PATH)}) | ${share(routingDev.mixed)} | ${share(routingDev.generic)} |`,
    '',
    ...sections('Held-out split', held),
    ...sections('Development split', dev),
  ].join('\n');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'answers-eval.md'), md);
  const strip = (e: AnswerEvaluation) => ({ total: e.total, accuracy: e.accuracy, falseStops: e.falseStops, byLabel: e.byLabel, notUnderstood: e.outcomes.filter((o) => !o.right), sizeDirections: e.outcomes.filter((o) => o.did === 'gives directions').map((o) => o.text) });
  const json = { generatedBy: 'scripts/answers-eval.ts', heldout: strip(held), development: strip(dev), routing: { heldout: routingHeld, development: routingDev } };
  writeFileSync(join(outDir, 'answers-eval.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`answers held-out: ${held.total} · understood ${pct(held.accuracy)} · false stops ${held.falseStops}`);
  console.log(`answers development: ${dev.total} · understood ${pct(dev.accuracy)} · false stops ${dev.falseStops}`);
  console.log(`mixed first messages → the specific fix: held-out ${share(routingHeld.mixed)}, development ${share(routingDev.mixed)}; generic → fix 1: held-out ${share(routingHeld.generic)}`);
  console.log(`wrote ${relative(REPO_ROOT, join(outDir, 'answers-eval.md'))} and answers-eval.json`);
}

if (require.main === module) main();
