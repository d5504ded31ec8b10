import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTENT_ERROR_CODES, MIN_EXAMPLES, loadIntents } from '../../src/content/load-intents';
import type { IntentErrorCode } from '../../src/content/load-intents';
import { ContentError, ContentErrors } from '../../src/content/yaml-file';
import { INTENTS } from '../../src/nlu/types';

const REAL_INTENTS = join(__dirname, '..', '..', 'intents');

/** A valid intent file: example i stands on line 4 + i. */
function intentYaml(intent: string, examples: string[] = exampleList(intent)): string {
  return `version: 1\nintent: ${intent}\nexamples:\n${examples.map((e) => `  - ${e}\n`).join('')}`;
}
function exampleList(intent: string, n = MIN_EXAMPLES): string[] {
  return Array.from({ length: n }, (_, i) => `${intent} example number ${i}`);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'intents-'));
  for (const intent of INTENTS) writeFileSync(join(dir, `${intent}.yaml`), intentYaml(intent));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);

function errorsOf(folder: string): ContentError[] {
  try {
    loadIntents(folder);
  } catch (e) {
    if (e instanceof ContentErrors) return e.errors;
    throw e;
  }
  throw new Error('expected loadIntents to throw ContentErrors');
}

/** Codes a test below has seen fire, checked against the catalogue at the end. */
const fired = new Set<string>();
function expectError(code: IntentErrorCode, file: string, line: number): ContentError {
  const errors = errorsOf(dir);
  const match = errors.find((e) => e.code === code);
  expect(match).toBeDefined();
  expect(match?.file).toBe(join(dir, file));
  expect(match?.line).toBe(line);
  expect(match?.message).toContain(`${join(dir, file)}:${line}`);
  fired.add(code);
  return match as ContentError;
}

describe('loadIntents', () => {
  it('loads the real intents/ cleanly, all 15 in contract order with enough examples', () => {
    const loaded = loadIntents(REAL_INTENTS);
    expect(loaded.map((g) => g.intent)).toEqual([...INTENTS]);
    for (const g of loaded) {
      expect(g.examples.length).toBeGreaterThanOrEqual(40);
      expect(g.lines).toHaveLength(g.examples.length);
    }
    expect(loaded.find((g) => g.intent === 'none')?.examples.length).toBeGreaterThanOrEqual(80);
  });

  it('loads a valid fixture and gives each example its line', () => {
    const loaded = loadIntents(dir);
    const greeting = loaded.find((g) => g.intent === 'greeting');
    expect(greeting?.file).toBe(join(dir, 'greeting.yaml'));
    expect(greeting?.examples[0]).toBe('greeting example number 0');
    expect(greeting?.lines.slice(0, 3)).toEqual([4, 5, 6]);
  });

  it('rejects a version other than 1 with SCHEMA on the version line', () => {
    write('help.yaml', intentYaml('help').replace('version: 1', 'version: 2'));
    expectError('SCHEMA', 'help.yaml', 1);
  });

  it('rejects an empty or non-string example with SCHEMA on its line', () => {
    const examples = exampleList('thanks');
    examples[2] = '""';
    write('thanks.yaml', intentYaml('thanks', examples));
    expectError('SCHEMA', 'thanks.yaml', 6);
  });

  it('rejects a missing examples list and unknown keys with SCHEMA', () => {
    write('cancel.yaml', 'version: 1\nintent: cancel\nsamples:\n  - stop\n');
    const errors = errorsOf(dir).filter((e) => e.file === join(dir, 'cancel.yaml'));
    expect(errors.map((e) => [e.code, e.line])).toEqual(
      expect.arrayContaining([
        ['SCHEMA', 3],
        ['SCHEMA', 1],
      ]),
    );
  });

  it('rejects a file that is not an intent of the contract with INTENT_UNKNOWN', () => {
    write('weather.yaml', intentYaml('weather'));
    const error = expectError('INTENT_UNKNOWN', 'weather.yaml', 1);
    expect(error.reason).toContain('"weather"');
  });

  it('rejects an intent that differs from its file name with INTENT_NAME_MISMATCH on the intent line', () => {
    write('greeting.yaml', intentYaml('greeting').replace('intent: greeting', 'intent: help'));
    expectError('INTENT_NAME_MISMATCH', 'greeting.yaml', 2);
  });

  it(`rejects an intent with fewer than ${MIN_EXAMPLES} examples with INTENT_TOO_FEW_EXAMPLES on the examples line`, () => {
    write('thanks.yaml', intentYaml('thanks', exampleList('thanks', MIN_EXAMPLES - 1)));
    expectError('INTENT_TOO_FEW_EXAMPLES', 'thanks.yaml', 3);
  });

  it('rejects the same example twice in one intent (case and spacing ignored) on the second line', () => {
    const examples = exampleList('cancel');
    examples[5] = 'CANCEL   example number 1';
    write('cancel.yaml', intentYaml('cancel', examples));
    const error = expectError('INTENT_DUPLICATE_EXAMPLE', 'cancel.yaml', 9);
    expect(error.reason).toContain('cancel.yaml:5');
  });

  it('rejects the same example under two intents with INTENT_DUPLICATE_EXAMPLE naming both', () => {
    const examples = exampleList('thanks');
    examples[3] = 'greeting example number 0';
    write('thanks.yaml', intentYaml('thanks', examples));
    const error = expectError('INTENT_DUPLICATE_EXAMPLE', 'thanks.yaml', 7);
    expect(error.reason).toContain('under "greeting"');
  });

  it('reports a missing intent file with INTENT_MISSING', () => {
    unlinkSync(join(dir, 'icloud_status.yaml'));
    expectError('INTENT_MISSING', 'icloud_status.yaml', 1);
  });

  it('rejects two files for one intent with INTENT_DUPLICATE_FILE', () => {
    write('help.yml', intentYaml('help', exampleList('other help')));
    expectError('INTENT_DUPLICATE_FILE', 'help.yml', 1);
  });

  it('reports invalid YAML with YAML_SYNTAX and its line', () => {
    write('help.yaml', 'version: 1\nintent: help\nexamples:\n  - "unterminated\n');
    const error = errorsOf(dir).find((e) => e.code === 'YAML_SYNTAX');
    expect(error?.file).toBe(join(dir, 'help.yaml'));
    expect(error?.line).toBeGreaterThanOrEqual(4);
    fired.add('YAML_SYNTAX');
  });

  it('lists every problem in one throw, so an author fixes them in one pass', () => {
    write('help.yaml', intentYaml('help').replace('version: 1', 'version: 3'));
    unlinkSync(join(dir, 'none.yaml'));
    write('thanks.yaml', intentYaml('thanks', exampleList('thanks', 3)));
    const codes = errorsOf(dir).map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['SCHEMA', 'INTENT_MISSING', 'INTENT_TOO_FEW_EXAMPLES']));
  });

  it('has a test above for every code in its error catalogue', () => {
    expect([...fired].sort()).toEqual(Object.keys(INTENT_ERROR_CODES).sort());
  });
});
