import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium: nothing downloads a browser at install time. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const ROOT = join(__dirname, '..', '..');

/**
 * `describe` for a browser test, or `describe.skip` with a warning when
 * Chromium is missing outside CI. In CI a missing browser must fail, not pass
 * silently, so there the tests run and `openBrowser` throws.
 */
export function browserDescribe(what: string): jest.Describe {
  const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
  if (!runnable) console.warn(`SKIPPED ${what}: ${CHROMIUM} is missing (apt-get install -y chromium). It always runs in CI.`);
  return runnable ? describe : describe.skip;
}

export interface OpenBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

type ContextOptions = Omit<NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>, 'executablePath' | 'headless' | 'args'>;

/** Chromium with a fresh profile (a persistent context is how playwright takes a --user-data-dir), removed on close. */
export async function openBrowser(prefix: string, options: ContextOptions): Promise<OpenBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
  const profile = mkdtempSync(join(tmpdir(), `${prefix}-chromium-`));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, ...options });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go: docs/ only when asked (UPDATE_SCREENSHOTS=1), so a normal run leaves the tree clean. */
export function screenshotsDir(prefix: string): string {
  return process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), `${prefix}-shots-`));
}
