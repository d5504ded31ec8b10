import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExampleList } from '../../src/content/example-list-file';
import { YamlFile } from '../../src/content/yaml-file';

const INTENTS_DIR = join(__dirname, '..', '..', 'intents');
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => join(dir, n));

/** The line reader's reading of `text` must be YAML's, value and lines alike. */
function expectSameAsYaml(path: string, text: string): void {
  const fast = parseExampleList(path, text);
  expect(fast).toBeDefined();
  const yaml = YamlFile.parse(path, text);
  expect(fast?.toJS()).toEqual(yaml.toJS());
  const examples = (yaml.toJS() as { examples: unknown[] }).examples;
  examples.forEach((_, i) => expect(fast?.lineOf(['examples', i])).toBe(yaml.lineOf(['examples', i])));
  for (const key of ['version', 'intent', 'examples', 'absent']) expect(fast?.lineOf([key])).toBe(yaml.lineOf([key]));
  expect(fast?.lineOf(['examples', examples.length + 3])).toBe(yaml.lineOf(['examples', examples.length + 3]));
}

describe('the intents files line reader', () => {
  it('reads every file in intents/ and intents/answers/ itself, exactly as the yaml library does', () => {
    const files = [...yamlFiles(INTENTS_DIR), ...yamlFiles(join(INTENTS_DIR, 'answers'))];
    expect(files.length).toBeGreaterThanOrEqual(24);
    for (const path of files) expectSameAsYaml(path, readFileSync(path, 'utf8'));
  });

  it('reads plain, single- and double-quoted examples, comments and blank lines as YAML does', () => {
    const text = [
      '# header',
      'version: 1',
      '',
      'intent: greeting',
      'examples:',
      '  - hi there',
      '  # a comment between examples',
      '  - "say \\"hi\\" \\u00e9 \\\\ back"',
      "  - 'it''s me'",
      '  - c# and a:b are plain',
      '  - 3gb left',
      '  - trailing spaces   ',
    ].join('\n');
    expectSameAsYaml('greeting.yaml', text);
  });

  it('leaves anything else to the yaml library: values YAML reads otherwise, flow, multi-line, comments after values', () => {
    const head = 'version: 1\nintent: greeting\nexamples:\n';
    for (const item of [
      '  - 12',
      '  - 1.5',
      '  - true',
      '  - null',
      '  - ~',
      '  - key: value',
      '  - hi # comment',
      '  - "hi" # comment',
      "  - 'open",
      '  - [a, b]',
      '  - {a: 1}',
      '  - &anchor hi',
      '  - *anchor',
      '  - !tag hi',
      '  - |\n    block',
      '  - multi\n    line',
      '  - -dash',
      '  - "tab\there"',
      '\t- tab indent',
    ]) {
      expect(parseExampleList('greeting.yaml', head + item)).toBeUndefined();
    }
    for (const text of [
      'version: 1\nversion: 1\nintent: greeting\nexamples:\n  - hi',
      'version: 1 # v\nintent: greeting\nexamples:\n  - hi',
      'version: one\nintent: greeting\nexamples:\n  - hi',
      'version: 1\nintent: true\nexamples:\n  - hi',
      'version: 1\nintent: greeting\nexamples: []',
      'version: 1\nintent: greeting\nexamples:',
      'version: 1\nintent: greeting\nother: x\nexamples:\n  - hi',
      'version: 1\nintent: greeting\nexamples:\n  - hi\n    - mis-indented',
      '- hi\nversion: 1',
      '---\nversion: 1\nintent: greeting\nexamples:\n  - hi',
      'version: 1\r\nintent: greeting\r\nexamples:\r\n  - hi\r\n',
    ]) {
      expect(parseExampleList('greeting.yaml', text)).toBeUndefined();
    }
  });
});
