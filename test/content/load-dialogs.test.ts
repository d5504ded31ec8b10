import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDialogContent } from '../../src/content/load-dialogs';
import { ContentErrors } from '../../src/content/yaml-file';
import { ROOT } from '../support/test-bot';
import { CHECK_SPECS } from '../../src/dialogs';

const specs = CHECK_SPECS;
const dirs: string[] = [];

/** A copy of the real dialogs/ with one file rewritten by `edit`. */
function contentWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialogs-'));
  dirs.push(dir);
  cpSync(join(ROOT, 'dialogs'), dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

function errorsOf(dir: string): { code: string; file: string; line: number; reason: string }[] {
  try {
    loadDialogContent(dir, specs);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentErrors);
    return (error as ContentErrors).errors.map((e) => ({ code: e.code, file: e.file.split('/').pop()!, line: e.line, reason: e.reason }));
  }
  throw new Error('expected the content to be rejected');
}

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const lineOf = (file: string, needle: string) =>
  readFileSync(join(ROOT, 'dialogs', file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

test('the real content loads: eight fixes in order, escalation and messages', () => {
  const content = loadDialogContent(join(ROOT, 'dialogs'), specs);
  expect(content.fixes.map((f) => f.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(content.escalation.links.map((l) => l.url)).toContain('https://support.apple.com/contact');
  expect(content.hash).toMatch(/^[0-9a-f]{12}$/);
});

test('the free-space factor is content, not code', () => {
  const content = loadDialogContent(join(ROOT, 'dialogs'), specs);
  const step = content.fixes.find((f) => f.id === 'icloud-storage')!.steps.find((s) => s.kind === 'check');
  expect(step && step.kind === 'check' && step.settings.factor).toBe(2.05);
});

test('a YAML syntax error names the file and its line', () => {
  const dir = contentWith('manual-backup.yaml', (t) => t.replace('title: Start a backup by hand', 'title: [unclosed'));
  const [error] = errorsOf(dir);
  expect(error).toMatchObject({ code: 'YAML_SYNTAX', file: 'manual-backup.yaml' });
  expect(error!.line).toBeGreaterThanOrEqual(lineOf('manual-backup.yaml', 'title:'));
});

test.each([
  ['a step without its text', 'manual-backup.yaml', (t: string) => t.replace('    say: Open WhatsApp and go to', '    sai: Open WhatsApp and go to'), 'UNKNOWN_FIELD', 'Open WhatsApp and go to'],
  ['a "when" naming no earlier step', 'restart-iphone.yaml', (t: string) => t.replace('      home-button: home-button', '      home-buton: home-button'), 'BAD_CONDITION', 'home-buton'],
  ['a "when" value the question cannot give', 'restart-iphone.yaml', (t: string) => t.replace('      home-button: no-home-button', '      home-button: maybe'), 'BAD_CONDITION', 'maybe'],
  ['an unknown intent', 'exclude-videos.yaml', (t: string) => t.replace('intent: exclude_videos', 'intent: exclude_video'), 'UNKNOWN_INTENT', 'exclude_video'],
  ['an intent that is a conversation move', 'exclude-videos.yaml', (t: string) => t.replace('intent: exclude_videos', 'intent: greeting'), 'UNKNOWN_INTENT', 'greeting'],
  ['two fixes with one order', 'update-software.yaml', (t: string) => t.replace('order: 6', 'order: 7'), 'DUPLICATE_ORDER', 'order: 7'],
  ['an id that is not the file name', 'exclude-videos.yaml', (t: string) => t.replace('id: exclude-videos', 'id: videos'), 'FILE_NAME', 'id: videos'],
  ['an unknown check', 'icloud-storage.yaml', (t: string) => t.replace('check: storage-space', 'check: storage-math'), 'UNKNOWN_CHECK', 'storage-math'],
  ['a check without one of its texts', 'icloud-storage.yaml', (t: string) => t.replace('      skip_label: Skip\n', ''), 'SCHEMA', '    text:'],
  ['a missing fixed message', 'messages.yaml', (t: string) => t.replace(/  thanks: .*\n/, ''), 'SCHEMA', 'text:'],
  ['a support link that is not https', 'escalation.yaml', (t: string) => t.replace('https://support.apple.com/contact', 'http://support.apple.com/contact'), 'BAD_URL', 'http://support'],
])('%s is refused with a coded error naming file and line', (_name, file, edit, code, needle) => {
  const dir = contentWith(file, edit);
  const errors = errorsOf(dir);
  const error = errors.find((e) => e.code === code);
  expect(error).toBeDefined();
  expect(error!.file).toBe(file);
  const text = readFileSync(join(dir, file), 'utf8').split('\n');
  expect(text[error!.line - 1]).toContain(needle);
});

test('every problem in one start-up is reported together', () => {
  const dir = contentWith('exclude-videos.yaml', (t) => t.replace('order: 7', 'order: 0').replace('intent: exclude_videos', 'intent: nope'));
  expect(errorsOf(dir).map((e) => e.code).sort()).toEqual(['SCHEMA', 'UNKNOWN_INTENT']);
});

test('an unclosed quote is reported where it opens, not where the file ends', () => {
  const dir = contentWith('icloud-access.yaml', (t) => t.replace('title: Let WhatsApp use iCloud', 'title: "Let WhatsApp use iCloud'));
  const [error] = errorsOf(dir);
  expect(error).toMatchObject({ code: 'YAML_SYNTAX', file: 'icloud-access.yaml', line: lineOf('icloud-access.yaml', 'title:') });
});
