import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface BuiltEntry {
  /** dist/…/src/index.js, once beforeAll has run. */
  readonly entry: string;
  /** The entry's environment: a private port and data folder, Apple's feed unreachable, plus `env`. */
  env(env?: Record<string, string>): Record<string, string>;
}

/**
 * Builds the real entry point (node dist/src/index.js) once for a test file,
 * into a private folder under the (git-ignored) dist/ so a concurrent
 * `npm run build` is not disturbed; inside the repo, node_modules,
 * package.json and src/web/public are found by walking up. Removed afterwards.
 */
export function useBuiltEntry(name: string): BuiltEntry {
  const outDir = join(ROOT, 'dist', `${name}-${process.pid}`);
  const dataDirs: string[] = [];
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      execFile(
        process.execPath,
        [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
        { cwd: ROOT, timeout: 120_000 },
        // Type errors elsewhere in the tree (other work in progress) still emit JavaScript; the entry's existence is what counts.
        () => resolve(),
      );
    });
  }, 130_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    entry: join(outDir, 'src', 'index.js'),
    env(env = {}) {
      const dataDir = mkdtempSync(join(tmpdir(), 'entry-data-'));
      dataDirs.push(dataDir);
      return { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, APPLE_STATUS_URL: 'http://127.0.0.1:9/status.js', ...env };
    },
  };
}

/** Resolves with the URL the child logs in its "bot listening" line (LOG_LEVEL info or lower), or rejects if it exits first. */
export function listeningUrl(child: import('node:child_process').ChildProcessWithoutNullStreams | import('node:child_process').ChildProcessByStdio<null, null, import('node:stream').Readable>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /"message":"bot listening".*?"url":"([^"]+)"/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('close', (code) => reject(new Error(`exited with ${code} before listening:\n${stderr}`)));
  });
}
