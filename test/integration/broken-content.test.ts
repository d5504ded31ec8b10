import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { ROOT, copyOfDialogs, removeTempDirs, replaceInFile, tempDir } from './harness';
import { listeningUrl, useBuiltEntry } from '../support/built-entry';

afterAll(() => removeTempDirs());

/** 1-based number of the line of `file` that contains `needle`. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${file} has no line containing ${JSON.stringify(needle)}`);
  return index + 1;
}

interface Breakage {
  name: string;
  file: string;
  /** Edits the copy; returns the line the error must name. */
  breakIt(path: string): number;
  reason: RegExp;
}

const BREAKAGES: Breakage[] = [
  {
    name: 'a YAML syntax error',
    file: 'icloud-access.yaml',
    breakIt: (path) => {
      replaceInFile(path, 'title: Let WhatsApp use iCloud', 'title: Let WhatsApp: use iCloud');
      return lineOf(path, 'title: Let WhatsApp: use iCloud');
    },
    reason: /YAML_SYNTAX/,
  },
  {
    name: 'a step missing `say`',
    file: 'manual-backup.yaml',
    breakIt: (path) => {
      replaceInFile(path, '    say: Open WhatsApp and go to **Settings → Chats → Chat Backup**.\n', '');
      return lineOf(path, '- id: open-chat-backup');
    },
    reason: /steps\.0\.say.*must be non-empty text/,
  },
  {
    name: 'a `when` naming an unknown step',
    file: 'apple-status.yaml',
    breakIt: (path) => {
      replaceInFile(path, '      live-status: unknown', '      live-stats: unknown');
      return lineOf(path, 'live-stats: unknown');
    },
    reason: /"when" names "live-stats".*BAD_CONDITION/,
  },
];

function brokenCopy(breakage: Breakage): { dir: string; path: string; line: number } {
  const dir = copyOfDialogs();
  const path = join(dir, breakage.file);
  return { dir, path, line: breakage.breakIt(path) };
}

describe('createApp refuses broken content, naming the file and the line', () => {
  test.each(BREAKAGES.map((b) => [b.name, b] as const))('%s', (_name, breakage) => {
    const { dir, path, line } = brokenCopy(breakage);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir('integration-data-'), DIALOGS_DIR: dir, LOG_LEVEL: 'silent' }, ROOT);
    let thrown: unknown;
    try {
      createApp(config).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toContain(`${path}:${line}:`);
    expect(message).toMatch(breakage.reason);
  });
});

describe('the built entry point (node dist/src/index.js)', () => {
  const built = useBuiltEntry('integration-test');
  const entryEnv = (env: Record<string, string>) => built.env(env);

  function run(env: Record<string, string>, timeoutMs = 30_000) {
    return new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [built.entry], { cwd: ROOT, env: entryEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      // A process that started listening despite broken content would never exit by itself.
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }

  test('builds with tsc -p tsconfig.build.json', () => {
    expect(existsSync(built.entry)).toBe(true);
  });

  test.each(BREAKAGES.map((b) => [b.name, b] as const))('%s → exits with code 1 and stderr names the file and line', async (_name, breakage) => {
    const { dir, path, line } = brokenCopy(breakage);
    const { code, stderr } = await run({ DIALOGS_DIR: dir, LOG_LEVEL: 'silent' });
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot start:');
    expect(stderr).toContain(`${path}:${line}:`);
    expect(stderr).toMatch(breakage.reason);
  });

  test('with intact content it starts, answers /healthz, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [built.entry], {
      cwd: ROOT,
      env: entryEnv({ DIALOGS_DIR: copyOfDialogs(), LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await listeningUrl(child);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
