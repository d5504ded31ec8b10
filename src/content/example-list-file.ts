import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ContentError, YamlFile } from './yaml-file';
import type { YamlPath } from './yaml-file';

/** What the intent loader reads from a content file: its value, and on which line any part of it stands. */
export interface ContentFile {
  readonly path: string;
  readonly stem: string;
  toJS(): unknown;
  lineOf(path: YamlPath): number;
  error(code: string, path: YamlPath, reason: string): ContentError;
}

const KEYS = new Set(['version', 'intent', 'examples']);
const KEY_LINE = /^([a-z]+):(?:[ \t]+(.*?))?[ \t]*$/;
const ITEM_LINE = /^( *)- (.*?)[ \t]*$/;
/** A plain scalar YAML's core schema would read as a number, null or boolean (a superset: those fall back). */
const NOT_A_STRING = /^(?:[-+]?[0-9.][0-9a-fA-FxXoO._+-]*|[-+]?\.(?:inf|nan)|~|null|true|false)$/i;
/** First characters that make a plain scalar mean something else (an indicator). */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/**
 * The intents files all have one shape: comments, `version: <n>`,
 * `intent: <name>` and `examples:` followed by one `- "text"` line per example.
 * This reads exactly that shape line by line; anything else in a file (a
 * comment after a value, a multi-line or flow scalar, a value YAML would read
 * as a number, a repeated key, ...) and the whole file goes to the `yaml`
 * library instead (YamlFile), which also gives every syntax error. Why: the
 * library's parse of ~5,000 example lines took ~200 ms of a cold start, and
 * its short-lived document trees, alive across many young-generation GCs,
 * made V8 double the young generation (8 MB of RSS kept after start-up).
 * A test checks both readers agree on every file in intents/.
 */
export function readExampleList(path: string): ContentFile {
  const text = readFileSync(path, 'utf8');
  return parseExampleList(path, text) ?? YamlFile.parse(path, text);
}

/** The file read by the line reader, or undefined when it is not of the one simple shape. */
export function parseExampleList(path: string, text: string): ContentFile | undefined {
  if (text.includes('\r') || text.startsWith('\uFEFF')) return undefined;
  const value: Record<string, unknown> = {};
  const keyLines = new Map<string, number>();
  const examples: string[] = [];
  const exampleLines: number[] = [];
  let inExamples = false;
  let indent: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^[ \t]*(?:#.*)?$/.test(line)) continue;
    const key = KEY_LINE.exec(line);
    if (key) {
      const name = key[1] as string;
      const raw = key[2] ?? '';
      if (!KEYS.has(name) || keyLines.has(name)) return undefined;
      keyLines.set(name, i + 1);
      inExamples = false;
      if (name === 'version') {
        if (!/^[0-9]+$/.test(raw)) return undefined;
        value.version = Number(raw);
      } else if (name === 'intent') {
        if (!/^[a-z_]+$/.test(raw) || NOT_A_STRING.test(raw)) return undefined;
        value.intent = raw;
      } else {
        if (raw !== '') return undefined;
        value.examples = examples;
        inExamples = true;
      }
      continue;
    }
    const item = ITEM_LINE.exec(line);
    if (!item || !inExamples) return undefined;
    if (indent === undefined) indent = item[1];
    if (item[1] !== indent) return undefined;
    const scalar = scalarOf(item[2] as string);
    if (scalar === undefined) return undefined;
    examples.push(scalar);
    exampleLines.push(i + 1);
  }
  if (keyLines.has('examples') && examples.length === 0) return undefined;
  return new ExampleListFile(path, value, keyLines, exampleLines);
}

/** A one-line scalar as YAML reads it, or undefined when it is anything but a plain, '' or "" string. */
function scalarOf(raw: string): string | undefined {
  if (raw === '') return undefined;
  if (raw.startsWith('"')) {
    // JSON's escapes are a subset of YAML's double-quoted ones, with the same meaning.
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (raw.startsWith("'")) {
    const inner = raw.slice(1, -1);
    if (raw.length < 2 || !raw.endsWith("'") || inner.replace(/''/g, '').includes("'")) return undefined;
    return inner.replace(/''/g, "'");
  }
  if (INDICATORS.has(raw.charAt(0)) || /:([ \t]|$)|[ \t]#/.test(raw) || NOT_A_STRING.test(raw)) return undefined;
  return raw;
}

class ExampleListFile implements ContentFile {
  constructor(
    readonly path: string,
    private readonly value: Record<string, unknown>,
    private readonly keyLines: ReadonlyMap<string, number>,
    private readonly exampleLines: readonly number[],
  ) {}

  get stem(): string {
    return basename(this.path).replace(/\.ya?ml$/, '');
  }

  toJS(): unknown {
    return { ...this.value, ...(Array.isArray(this.value.examples) ? { examples: [...this.value.examples] } : {}) };
  }

  /** As YamlFile.lineOf: the entry's line, or its nearest existing parent's (1 for the file). */
  lineOf(path: YamlPath): number {
    const [key, index] = path;
    if (typeof key !== 'string') return 1;
    if (key === 'examples' && typeof index === 'number') {
      const line = this.exampleLines[index];
      if (line !== undefined) return line;
    }
    return this.keyLines.get(key) ?? 1;
  }

  error(code: string, path: YamlPath, reason: string): ContentError {
    return new ContentError(code, this.path, this.lineOf(path), reason);
  }
}
