import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWER_LABELS, INTENTS } from '../nlu/types';
import type { AnswerExamples, IntentExamples, LabelExamples, Nlu } from '../nlu/types';
import { createNlu } from '../nlu/classifier';
import type { ModelCache } from '../nlu/model-cache';
import { readExampleList } from './example-list-file';
import type { ContentFile } from './example-list-file';
import { ContentError, ContentErrors } from './yaml-file';

/** Fewer examples than this and an intent cannot be learnt reliably. */
export const MIN_EXAMPLES = 20;

/** The only file format version this loader understands. */
export const INTENT_FILE_VERSION = 1;

/** Every code the intent loader can report, with what it means (stable: tests and docs use them). */
export const INTENT_ERROR_CODES = {
  YAML_SYNTAX: 'the file is not valid YAML',
  SCHEMA: 'the file does not have the shape `version: 1`, `intent: <name>`, `examples: [text, ...]`',
  INTENT_UNKNOWN: 'the file name or the intent is not one of the known labels (the 15 intents of the contract; in intents/answers/, the answer intents and other)',
  INTENT_NAME_MISMATCH: 'the intent inside the file differs from the file name',
  INTENT_MISSING: 'one of the labels has no file',
  INTENT_DUPLICATE_FILE: 'two files (.yaml and .yml) define the same intent',
  INTENT_TOO_FEW_EXAMPLES: `an intent has fewer than ${MIN_EXAMPLES} examples`,
  INTENT_DUPLICATE_EXAMPLE: 'the same example (ignoring case and spacing) appears twice, in one intent or in two',
} as const;
export type IntentErrorCode = keyof typeof INTENT_ERROR_CODES;

const KNOWN_KEYS = new Set(['version', 'intent', 'examples']);

/** The folder under intents/ that holds the examples of answers typed at a prompt. */
export const ANSWERS_FOLDER = 'answers';

/** The form under which two examples count as the same: lower case, single spaces. */
export function foldExample(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

interface Seen {
  intent: string;
  file: string;
  line: number;
}

/**
 * Reads every intents/*.yaml (or .yml) file in `dir`, validates it and returns
 * the examples of the 15 intents in contract order. Throws ContentErrors listing
 * every problem found (each with a code, file and line) so an author can fix
 * them all in one pass.
 */
export function loadIntents(dir: string): IntentExamples[] {
  return loadLabelledFolder(dir, INTENTS);
}

/** The examples of answers typed at a prompt (intents/answers/*.yaml), validated the same way. */
export function loadAnswerExamples(intentsDir: string): AnswerExamples[] {
  return loadLabelledFolder(join(intentsDir, ANSWERS_FOLDER), ANSWER_LABELS);
}

/** One folder of example files, one file per label, every label present. */
function loadLabelledFolder<L extends string>(dir: string, labels: readonly L[]): LabelExamples<L>[] {
  const errors: ContentError[] = [];
  const byIntent = new Map<L, LabelExamples<L>>();
  const seen = new Map<string, Seen>();

  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ContentErrors([new ContentError('INTENT_MISSING', dir, 1, `cannot read the intents folder: ${reason}`)]);
  }

  for (const name of names) {
    const path = join(dir, name);
    let file: ContentFile;
    try {
      file = readExampleList(path);
    } catch (cause) {
      if (cause instanceof ContentError) {
        errors.push(cause);
        continue;
      }
      throw cause;
    }
    const loaded = validateFile(file, labels, errors);
    if (!loaded) continue;
    const earlier = byIntent.get(loaded.intent);
    if (earlier) {
      errors.push(
        file.error('INTENT_DUPLICATE_FILE', [], `intent "${loaded.intent}" is already defined in ${earlier.file}`),
      );
      continue;
    }
    byIntent.set(loaded.intent, loaded);

    loaded.examples.forEach((text, i) => {
      const key = foldExample(text);
      const line = loaded.lines[i] ?? 1;
      const first = seen.get(key);
      if (first) {
        const where = first.intent === loaded.intent ? 'earlier in this file' : `under "${first.intent}"`;
        errors.push(
          new ContentError(
            'INTENT_DUPLICATE_EXAMPLE',
            path,
            line,
            `example "${text}" already appears ${where} (${first.file}:${first.line})`,
          ),
        );
      } else {
        seen.set(key, { intent: loaded.intent, file: path, line });
      }
    });
  }

  for (const intent of labels) {
    if (!byIntent.has(intent)) {
      errors.push(
        new ContentError('INTENT_MISSING', join(dir, `${intent}.yaml`), 1, `no file defines the intent "${intent}"`),
      );
    }
  }

  if (errors.length > 0) throw new ContentErrors(errors);
  return labels.map((intent) => byIntent.get(intent) as LabelExamples<L>);
}

/** Checks one file's shape; pushes errors and returns its examples when usable. */
function validateFile<L extends string>(file: ContentFile, labels: readonly L[], errors: ContentError[]): LabelExamples<L> | undefined {
  const isLabel = (name: unknown): name is L => typeof name === 'string' && (labels as readonly string[]).includes(name);
  const data = file.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    errors.push(file.error('SCHEMA', [], 'expected a mapping with version, intent and examples'));
    return undefined;
  }
  const record = data as Record<string, unknown>;
  let usable = true;

  for (const key of Object.keys(record)) {
    if (!KNOWN_KEYS.has(key)) errors.push(file.error('SCHEMA', [key], `unknown key "${key}"`));
  }
  if (record.version !== INTENT_FILE_VERSION) {
    errors.push(
      file.error('SCHEMA', ['version'], `version must be ${INTENT_FILE_VERSION}, found ${JSON.stringify(record.version)}`),
    );
  }

  const stem = file.stem;
  if (!isLabel(stem)) {
    errors.push(file.error('INTENT_UNKNOWN', [], `"${stem}" is not an intent (expected one of: ${labels.join(', ')})`));
    usable = false;
  }
  if (typeof record.intent !== 'string') {
    errors.push(file.error('SCHEMA', ['intent'], 'intent must be a string equal to the file name'));
    usable = false;
  } else if (!isLabel(record.intent)) {
    errors.push(file.error('INTENT_UNKNOWN', ['intent'], `"${record.intent}" is not an intent`));
    usable = false;
  } else if (record.intent !== stem) {
    errors.push(
      file.error('INTENT_NAME_MISMATCH', ['intent'], `intent "${record.intent}" differs from the file name "${stem}"`),
    );
    usable = false;
  }

  const raw = record.examples;
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push(file.error('SCHEMA', ['examples'], 'examples must be a non-empty list of strings'));
    return undefined;
  }
  const examples: string[] = [];
  const lines: number[] = [];
  raw.forEach((value: unknown, i) => {
    if (typeof value !== 'string' || value.trim() === '') {
      errors.push(file.error('SCHEMA', ['examples', i], `example ${i + 1} must be a non-empty string`));
      return;
    }
    examples.push(value.trim());
    lines.push(file.lineOf(['examples', i]));
  });
  if (examples.length < MIN_EXAMPLES) {
    errors.push(
      file.error(
        'INTENT_TOO_FEW_EXAMPLES',
        ['examples'],
        `${examples.length} examples; an intent needs at least ${MIN_EXAMPLES}`,
      ),
    );
  }
  if (!usable) return undefined;
  return { intent: stem as L, examples, file: file.path, lines };
}

/**
 * The bot's NLU from an intents folder: the intents' model and the answers'
 * (intents/answers/), trained now or, given a cache, loaded from it when the
 * same content was trained before.
 */
export function loadNlu(intentsDir: string, cache?: ModelCache): Nlu {
  return createNlu(loadIntents(intentsDir), {}, loadAnswerExamples(intentsDir), cache);
}
