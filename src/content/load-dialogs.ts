import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWER_INTENTS, INTENTS } from '../nlu/types';
import type { AnswerIntent, IntentName } from '../nlu/types';
import { foldWords } from './fold-words';
import { FieldReader } from './field-reader';
import { ContentErrors, YamlFile } from './yaml-file';
import type { ContentError, YamlPath } from './yaml-file';
import { BUTTON_KEYS, MESSAGE_KEYS } from './types';
import type {
  AnswerMeaning,
  ButtonKey,
  Condition,
  Content,
  EscalationDefinition,
  FixDefinition,
  Link,
  MenuItem,
  MessageKey,
  Messages,
  QuestionChoice,
  Step,
} from './types';

/** What the content may say about a check step, declared by the code that runs it. */
export interface CheckSpec {
  outcomes: readonly string[];
  text: readonly string[];
  settings: Readonly<Record<string, 'number' | 'string'>>;
}

export type CheckSpecs = Readonly<Record<string, CheckSpec>>;

/** Intents that are conversation moves, never the start of a fix. */
const NON_FIX_INTENTS: readonly IntentName[] = [
  'greeting',
  'help',
  'backup_not_working',
  'human_agent',
  'cancel',
  'thanks',
  'none',
];

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

type Obj = Record<string, unknown>;

/**
 * Loads dialogs/*.yaml (one file per fix, plus escalation.yaml and
 * messages.yaml), validates every file and the files against each other, and
 * throws ContentErrors naming file and line for everything wrong.
 */
export function loadDialogContent(dir: string, checks: CheckSpecs): Content {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  const errors: ContentError[] = [];
  const fixes: FixDefinition[] = [];
  const fixFiles = new Map<string, YamlFile>();
  let escalation: EscalationDefinition | undefined;
  let messages: Messages | undefined;
  const hash = createHash('sha256');

  for (const name of names) {
    let file: YamlFile;
    try {
      file = YamlFile.read(join(dir, name));
    } catch (error) {
      errors.push(error as ContentError);
      continue;
    }
    const reader = new FieldReader(file);
    const root = reader.object(file.toJS(), []);
    if (root) {
      reader.version(root);
      const kind = root.kind;
      if (kind === 'fix') {
        const fix = readFix(reader, root, checks);
        fixes.push(fix);
        fixFiles.set(fix.id, file);
      } else if (kind === 'escalation') {
        if (file.stem !== 'escalation') reader.fail(['kind'], 'the escalation must be in escalation.yaml', 'FILE_NAME');
        escalation = readEscalation(reader, root);
      } else if (kind === 'messages') {
        if (file.stem !== 'messages') reader.fail(['kind'], 'the fixed messages must be in messages.yaml', 'FILE_NAME');
        messages = readMessages(reader, root);
      } else {
        reader.fail(['kind'], 'kind must be one of: fix, escalation, messages', 'KIND');
      }
    }
    errors.push(...reader.errors);
    hash.update(name).update(JSON.stringify(file.toJS()));
  }

  errors.push(...crossCheckFixes(fixes, fixFiles));
  if (!escalation) errors.push(missingFile(dir, 'escalation.yaml'));
  if (!messages) errors.push(missingFile(dir, 'messages.yaml'));
  if (fixes.length === 0) errors.push(missingFile(dir, 'a fix (kind: fix)'));
  if (errors.length > 0 || !escalation || !messages) throw new ContentErrors(errors);

  return {
    fixes: [...fixes].sort((a, b) => a.order - b.order),
    escalation,
    messages,
    hash: hash.digest('hex').slice(0, 12),
  };
}

function missingFile(dir: string, what: string): ContentError {
  return YamlFile.parse(dir, '').error('MISSING_FILE', [], `${what} is missing`);
}

function readFix(reader: FieldReader, root: Obj, checks: CheckSpecs): FixDefinition {
  reader.onlyKeys(root, ['version', 'kind', 'id', 'order', 'intent', 'title', 'intro', 'steps', 'verify', 'skip_verify_when'], []);
  const id = reader.string(root, 'id', []);
  if (id && id !== reader.file.stem) reader.fail(['id'], `id "${id}" must equal the file name "${reader.file.stem}"`, 'FILE_NAME');
  const intent = reader.string(root, 'intent', []);
  if (intent && !(INTENTS as readonly string[]).includes(intent)) {
    reader.fail(['intent'], `intent "${intent}" is not one of the known intents`, 'UNKNOWN_INTENT');
  } else if (NON_FIX_INTENTS.includes(intent as IntentName)) {
    reader.fail(['intent'], `intent "${intent}" is a conversation move and cannot start a fix`, 'UNKNOWN_INTENT');
  }
  const steps: Step[] = [];
  const answers = new Map<string, readonly string[]>();
  reader.list(root, 'steps', []).forEach((raw, index) => {
    const step = readStep(reader, raw, ['steps', index], checks, answers);
    if (!step) return;
    if (steps.some((s) => s.id === step.id)) reader.fail(['steps', index, 'id'], `step id "${step.id}" is used twice`, 'DUPLICATE_STEP');
    steps.push(step);
    if (step.kind === 'question') answers.set(step.id, step.choices.map((c) => c.value));
    if (step.kind === 'check') answers.set(step.id, checks[step.check]!.outcomes);
  });
  // One condition, or a list of them of which any may hold.
  const skipRaw = root.skip_verify_when;
  const skipVerifyWhen =
    skipRaw === undefined
      ? undefined
      : (Array.isArray(skipRaw) ? (skipRaw as unknown[]) : [skipRaw]).flatMap((raw: unknown, i: number): Condition[] => {
          const path = Array.isArray(skipRaw) ? ['skip_verify_when', i] : ['skip_verify_when'];
          const condition = readCondition(reader, raw, path, answers);
          return condition ? [condition] : [];
        });
  const definition = {
    id,
    title: reader.string(root, 'title', []),
    intent: intent as IntentName,
    order: reader.integer(root, 'order', [], 1),
    intro: reader.string(root, 'intro', []),
    steps,
    verify: reader.optionalString(root, 'verify', []),
    ...(skipVerifyWhen ? { skipVerifyWhen } : {}),
  };
  const version = createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 12);
  return { ...definition, file: reader.file.path, version };
}

function readStep(
  reader: FieldReader,
  raw: unknown,
  path: YamlPath,
  checks: CheckSpecs,
  answers: ReadonlyMap<string, readonly string[]>,
): Step | undefined {
  const obj = reader.object(raw, path);
  if (!obj) return undefined;
  const id = reader.string(obj, 'id', path);
  if (id && !ID_PATTERN.test(id)) reader.fail([...path, 'id'], `step id "${id}" must be kebab-case`, 'SCHEMA');
  const when = obj.when === undefined ? undefined : readCondition(reader, obj.when, [...path, 'when'], answers);
  const base = { id, ...(when ? { when } : {}) };

  if (obj.check !== undefined) {
    reader.onlyKeys(obj, ['id', 'when', 'check', 'text', 'settings'], path);
    const name = reader.string(obj, 'check', path);
    const spec = Object.hasOwn(checks, name) ? checks[name] : undefined;
    if (!spec) {
      reader.fail([...path, 'check'], `unknown check "${name}" (known: ${Object.keys(checks).join(', ')})`, 'UNKNOWN_CHECK');
      return undefined;
    }
    const textObj = reader.object(obj.text ?? null, [...path, 'text']) ?? {};
    const text: Record<string, string> = {};
    for (const key of spec.text) text[key] = reader.string(textObj, key, [...path, 'text']);
    reader.onlyKeys(textObj, spec.text, [...path, 'text']);
    const settingsObj = (obj.settings === undefined ? {} : reader.object(obj.settings, [...path, 'settings'])) ?? {};
    const settings: Record<string, number | string> = {};
    for (const [key, type] of Object.entries(spec.settings)) {
      const value = settingsObj[key];
      if (typeof value !== type || (type === 'number' && !((value as number) > 0))) {
        reader.fail([...path, 'settings', key], `setting "${key}" must be a ${type === 'number' ? 'positive number' : 'text'}`);
      } else {
        settings[key] = value as number | string;
      }
    }
    reader.onlyKeys(settingsObj, Object.keys(spec.settings), [...path, 'settings']);
    return { ...base, kind: 'check', check: name, text, settings };
  }

  if (obj.choices !== undefined) {
    reader.onlyKeys(obj, ['id', 'when', 'say', 'choices', 'unsure'], path);
    const choices = reader.list(obj, 'choices', path).flatMap((c, i): QuestionChoice[] => {
      const at = [...path, 'choices', i];
      const choice = reader.object(c, at);
      if (!choice) return [];
      reader.onlyKeys(choice, ['value', 'label', 'means', 'words'], at);
      return [{ value: reader.string(choice, 'value', at), label: reader.string(choice, 'label', at), ...readMeaning(reader, choice, at) }];
    });
    if (choices.length === 1) reader.fail([...path, 'choices'], 'a question needs at least two choices');
    checkDistinctMeanings(reader, choices.map((c, i) => ({ meaning: c, path: [...path, 'choices', i] })));
    const unsure = reader.optionalString(obj, 'unsure', path);
    return { ...base, kind: 'question', say: reader.string(obj, 'say', path), choices, ...(unsure ? { unsure } : {}) };
  }

  if (obj.help === undefined) {
    reader.onlyKeys(obj, ['id', 'when', 'say'], path);
    return { ...base, kind: 'message', say: reader.string(obj, 'say', path) };
  }

  reader.onlyKeys(obj, ['id', 'when', 'say', 'help', 'already'], path);
  return {
    ...base,
    kind: 'instruction',
    say: reader.string(obj, 'say', path),
    help: reader.string(obj, 'help', path),
    ...(obj.already === undefined ? {} : { already: reader.string(obj, 'already', path) }),
  };
}

/** A `when` may only name an earlier question or check, and only values it can produce. */
function readCondition(
  reader: FieldReader,
  raw: unknown,
  path: YamlPath,
  answers: ReadonlyMap<string, readonly string[]>,
): Condition | undefined {
  const obj = reader.object(raw, path);
  if (!obj) return undefined;
  const condition: Record<string, string[]> = {};
  for (const [stepId, value] of Object.entries(obj)) {
    const possible = answers.get(stepId);
    if (!possible) {
      reader.fail([...path, stepId], `"when" names "${stepId}", which is not an earlier question or check in this fix`, 'BAD_CONDITION');
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string' || !possible.includes(v)) {
        reader.fail([...path, stepId], `"${String(v)}" is not a possible answer of "${stepId}" (${possible.join(', ')})`, 'BAD_CONDITION');
      }
    }
    condition[stepId] = values.map(String);
  }
  return condition;
}

function crossCheckFixes(fixes: FixDefinition[], files: ReadonlyMap<string, YamlFile>): ContentError[] {
  const errors: ContentError[] = [];
  const byOrder = new Map<number, string>();
  const byIntent = new Map<string, string>();
  for (const fix of fixes) {
    const file = files.get(fix.id);
    if (!file || !Number.isInteger(fix.order)) continue;
    const orderOwner = byOrder.get(fix.order);
    if (orderOwner) errors.push(file.error('DUPLICATE_ORDER', ['order'], `order ${fix.order} is also used by fix "${orderOwner}"`));
    byOrder.set(fix.order, fix.id);
    const intentOwner = byIntent.get(fix.intent);
    if (intentOwner) errors.push(file.error('DUPLICATE_INTENT', ['intent'], `intent "${fix.intent}" already starts fix "${intentOwner}"`));
    byIntent.set(fix.intent, fix.id);
  }
  return errors;
}

function readEscalation(reader: FieldReader, root: Obj): EscalationDefinition {
  reader.onlyKeys(root, ['version', 'kind', 'say', 'links', 'after'], []);
  const links: Link[] = reader.list(root, 'links', []).flatMap((raw, i) => {
    const obj = reader.object(raw, ['links', i]);
    if (!obj) return [];
    const url = reader.string(obj, 'url', ['links', i]);
    if (url && !/^https:\/\/\S+$/.test(url)) reader.fail(['links', i, 'url'], `"${url}" must be an https URL`, 'BAD_URL');
    return [{ label: reader.string(obj, 'label', ['links', i]), url }];
  });
  return { say: reader.string(root, 'say', []), links, after: reader.string(root, 'after', []) };
}

/**
 * What a button means when typed (`means:` answer intents, `words:` of its
 * own). Both optional: the label itself is always understood.
 */
function readMeaning(reader: FieldReader, obj: Obj, path: YamlPath): AnswerMeaning {
  const means = readTextList(reader, obj, 'means', path).filter((m, i) => {
    if ((ANSWER_INTENTS as readonly string[]).includes(m)) return true;
    reader.fail([...path, 'means', i], `"${m}" is not an answer intent (${ANSWER_INTENTS.join(', ')})`, 'UNKNOWN_ANSWER_INTENT');
    return false;
  }) as AnswerIntent[];
  return { means, words: readTextList(reader, obj, 'words', path) };
}

/** An optional list of non-empty texts. */
function readTextList(reader: FieldReader, obj: Obj, key: string, path: YamlPath): string[] {
  if (obj[key] === undefined) return [];
  return reader.list(obj, key, path).flatMap((w, i) => {
    if (typeof w === 'string' && w.trim()) return [w.trim()];
    reader.fail([...path, key, i], `each entry of "${key}" must be non-empty text`);
    return [];
  });
}

/** Two buttons of one prompt must not claim the same meaning or the same words: a typed answer would pick either. */
function checkDistinctMeanings(reader: FieldReader, options: ReadonlyArray<{ meaning: AnswerMeaning; path: YamlPath }>): void {
  const owners = new Map<string, string>();
  for (const { meaning, path } of options) {
    const claims = [...meaning.means.map((m) => `means "${m}"`), ...meaning.words.map((w) => `the words "${foldWords(w)}"`)];
    for (const claim of new Set(claims)) {
      const owner = owners.get(claim);
      if (owner) reader.fail(path, `${claim} is also claimed by ${owner}: a typed answer could mean either`, 'AMBIGUOUS_ANSWER');
      else owners.set(claim, path.join('.'));
    }
  }
}

/** The buttons that are asked together (a step's confirmation, "did it work?", "stop troubleshooting?"). */
const BUTTON_GROUPS: ReadonlyArray<readonly ButtonKey[]> = [
  ['choice_done', 'choice_cant_find', 'choice_already'],
  ['verify_yes', 'verify_no'],
  ['stop_yes', 'stop_no'],
  ['handoff_yes', 'handoff_no'],
];

function readButtonAnswers(reader: FieldReader, root: Obj): Record<ButtonKey, AnswerMeaning> {
  const answersObj = reader.object(root.answers ?? null, ['answers']) ?? {};
  reader.onlyKeys(answersObj, BUTTON_KEYS, ['answers']);
  const answers = {} as Record<ButtonKey, AnswerMeaning>;
  for (const key of BUTTON_KEYS) {
    const obj = answersObj[key] === undefined ? undefined : reader.object(answersObj[key], ['answers', key]);
    if (obj) reader.onlyKeys(obj, ['means', 'words'], ['answers', key]);
    answers[key] = obj ? readMeaning(reader, obj, ['answers', key]) : { means: [], words: [] };
  }
  for (const group of BUTTON_GROUPS) checkDistinctMeanings(reader, group.map((key) => ({ meaning: answers[key], path: ['answers', key] })));
  return answers;
}

/** `answer_words`: per answer intent, words that say it on their own. */
function readAnswerWords(reader: FieldReader, root: Obj): Partial<Record<AnswerIntent, string[]>> {
  const obj = (root.answer_words === undefined ? {} : reader.object(root.answer_words, ['answer_words'])) ?? {};
  reader.onlyKeys(obj, ANSWER_INTENTS, ['answer_words']);
  const words: Partial<Record<AnswerIntent, string[]>> = {};
  const owner = new Map<string, AnswerIntent>();
  for (const intent of ANSWER_INTENTS) {
    if (obj[intent] === undefined) continue;
    words[intent] = readTextList(reader, obj, intent, ['answer_words']);
    for (const word of words[intent]) {
      const first = owner.get(foldWords(word));
      if (first) reader.fail(['answer_words', intent], `"${word}" is also a word of "${first}": a typed answer could mean either`, 'AMBIGUOUS_ANSWER');
      else owner.set(foldWords(word), intent);
    }
  }
  return words;
}

function readMessages(reader: FieldReader, root: Obj): Messages {
  reader.onlyKeys(root, ['version', 'kind', 'text', 'menu', 'intent_labels', 'android_words', 'delete_data_phrases', 'answers', 'answer_words'], []);
  const textObj = reader.object(root.text ?? null, ['text']) ?? {};
  const text = {} as Record<MessageKey, string>;
  for (const key of MESSAGE_KEYS) text[key] = reader.string(textObj, key, ['text']);
  reader.onlyKeys(textObj, MESSAGE_KEYS, ['text']);

  const menu: MenuItem[] = reader.list(root, 'menu', []).flatMap((raw, i) => {
    const obj = reader.object(raw, ['menu', i]);
    if (!obj) return [];
    return [{ label: reader.string(obj, 'label', ['menu', i]), intent: readIntent(reader, obj, 'intent', ['menu', i]) }];
  });

  const labelsObj = reader.object(root.intent_labels ?? null, ['intent_labels']) ?? {};
  const intentLabels: Partial<Record<IntentName, string>> = {};
  for (const key of Object.keys(labelsObj)) {
    if (!(INTENTS as readonly string[]).includes(key)) {
      reader.fail(['intent_labels', key], `"${key}" is not a known intent`, 'UNKNOWN_INTENT');
    } else {
      intentLabels[key as IntentName] = reader.string(labelsObj, key, ['intent_labels']);
    }
  }
  for (const intent of INTENTS) {
    if (intent !== 'none' && !intentLabels[intent]) reader.fail(['intent_labels'], `intent_labels has no label for "${intent}"`, 'MISSING_LABEL');
  }

  const androidWords = reader.list(root, 'android_words', []).flatMap((w, i) => {
    if (typeof w === 'string' && w.trim()) return [w.trim().toLowerCase()];
    reader.fail(['android_words', i], 'each android word must be non-empty text');
    return [];
  });
  const deleteDataPhrases = reader.list(root, 'delete_data_phrases', []).flatMap((w, i) => {
    if (typeof w === 'string' && w.trim()) return [foldWords(w)];
    reader.fail(['delete_data_phrases', i], 'each phrase must be non-empty text');
    return [];
  });
  return { text, menu, intentLabels, androidWords, deleteDataPhrases, answers: readButtonAnswers(reader, root), answerWords: readAnswerWords(reader, root) };
}

function readIntent(reader: FieldReader, obj: Obj, key: string, path: YamlPath): IntentName {
  const value = reader.string(obj, key, path);
  if (value && !(INTENTS as readonly string[]).includes(value)) {
    reader.fail([...path, key], `"${value}" is not a known intent`, 'UNKNOWN_INTENT');
  }
  return value as IntentName;
}
