/**
 * The insights dashboard in a real browser (Debian's chromium, driven by
 * playwright-core) against the real bot: an admin signs in on /admin and sees
 * the figures, the three charts (chart.js served by the bot), the funnel and
 * the understanding inbox; a user's message carrying HTML and script stays
 * text; labelling takes a message out of the open list; an agent-role
 * account is told the page is for admins.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { browserDescribe, openBrowser, screenshotsDir } from '../support/browser';
import type { OpenBrowser } from '../support/browser';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../src/handoff/agent-accounts';
import type { InsightsStore, OutcomeKind } from '../../src/insights/insights-store';
import { startBot } from '../support/running-bot';
import type { RunningBot } from '../support/running-bot';

const inBrowser = browserDescribe('insights dashboard browser test');

const PASSWORD = 'correct horse battery staple';
const PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
const SHOTS = screenshotsDir('admin');

inBrowser('the insights dashboard in a browser', () => {
  let bot: RunningBot;
  let context: BrowserContext;
  let browser: OpenBrowser | undefined;

  beforeAll(async () => {
    const hash = hashPassword(PASSWORD);
    bot = await startBot({ env: { AGENT_ACCOUNTS: `Alex:agent:${hash},Sam:admin:${hash}` } });
    await seed(bot);
    browser = await openBrowser('admin', { viewport: { width: 1280, height: 900 } });
    context = browser.context;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    if (!process.env.UPDATE_SCREENSHOTS) rmSync(SHOTS, { recursive: true, force: true });
  });

  it('an admin signs in and sees figures, three charts, the funnel and the inbox; user HTML stays text; labelling takes a message off the list', async () => {
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${bot.url}/admin`);

    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByLabel('Name').fill('Sam');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.locator('#dashboard'));

    // The cards equal what was recorded.
    const outcomes = await bot.app.insights.eventsIn({ since: new Date(Date.now() - 7 * 86400_000).toISOString(), until: new Date().toISOString() });
    expect(await page.locator('#n-conversations').textContent()).toBe(String(new Set(outcomes.map((e) => e.conversation)).size));
    expect(await page.locator('#n-resolved').textContent()).toBe(String(SEEDED.resolved));
    expect(await page.locator('#n-handed_off').textContent()).toBe(String(SEEDED.handed_off));
    expect(await page.locator('#n-abandoned').textContent()).toBe(String(SEEDED.abandoned));
    expect(await page.locator('#n-csat').textContent()).toMatch(/^\d\.\d+$|^\d$/);

    // Chart.js loaded from the bot, and drew on each of the three canvases.
    expect(await page.evaluate('typeof Chart')).toBe('function');
    for (const id of ['chart-outcomes', 'chart-fixes', 'chart-csat']) {
      const canvas = page.locator(`#${id}`);
      await expectVisible(canvas);
      expect([id, await page.evaluate(`!!Chart.getChart(document.getElementById('${id}'))`)]).toEqual([id, true]);
      expect((await canvas.boundingBox())!.height).toBeGreaterThan(50);
    }

    // The funnel: a table per fix, the step most people cannot find marked.
    await expectVisible(page.locator('#funnels table').first());
    expect(await page.locator('#funnels table').count()).toBeGreaterThan(0);
    expect(await page.locator('#funnels tr.worst').count()).toBeGreaterThan(0);

    // The inbox: HTML and script from a user are shown as the literal text and never run.
    const items = page.locator('#inbox li');
    await expectVisible(items.first());
    expect(await page.locator('#inbox-count').textContent()).toBe('4');
    const hostile = items.filter({ hasText: 'onerror' });
    expect(await hostile.locator('.text').textContent()).toBe(`is my backup safe? ${PAYLOAD}`);
    expect(await page.locator('#inbox img, #inbox script').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();

    await settle(page);
    await page.screenshot({ path: join(SHOTS, 'admin-dashboard.png'), fullPage: false });

    // Label one: it leaves the open list and waits for the import.
    const first = items.filter({ hasText: 'phone storage full' });
    await first.getByLabel('Intent it meant').selectOption('check_storage');
    await first.getByRole('button', { name: 'Save label' }).click();
    await becomes(() => items.count(), 3);
    expect(await page.locator('#inbox').textContent()).not.toContain('phone storage full');
    expect(await page.locator('#labelled-count').textContent()).toBe('1 labelled, waiting for the import.');
    expect(await bot.app.insights.inbox('labelled')).toEqual([expect.objectContaining({ text: 'phone storage full what now', label: 'check_storage', labelledBy: 'Sam' })]);

    // Dismiss one.
    await items.filter({ hasText: 'asdfgh' }).getByRole('button', { name: 'Dismiss' }).click();
    await becomes(() => items.count(), 2);

    // Another period reloads the figures: the one-day view leaves out the older days.
    await page.locator('#period').selectOption('24h');
    await becomes(() => page.locator('#n-conversations').textContent(), String(DAY_ONE_CONVERSATIONS));
    expect(await page.locator('#csv').getAttribute('href')).toBe('/admin/api/figures.csv?since=24h');

    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('an account with the agent role sees "Admins only"', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${bot.url}/admin`);
    await page.getByLabel('Name').fill('Alex');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Admins only' }));
    expect(await page.locator('#dashboard').isVisible()).toBe(false);
    expect(await page.locator('#inbox li').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

const SEEDED: Record<OutcomeKind, number> = { resolved: 14, handed_off: 3, escalated: 4, abandoned: 3, out_of_scope: 2, android: 2 };
/** Conversations seeded within the last day (every third one). */
let DAY_ONE_CONVERSATIONS = 0;

/** A week of conversations over the real fixes, some ratings, and an inbox, recorded in the bot's own store. */
async function seed(bot: RunningBot): Promise<void> {
  const store: InsightsStore = bot.app.insights;
  const fixes = bot.app.content.fixes.filter((f) => f.steps.length >= 2);
  let n = 0;
  const at = (i: number, minutes: number) => new Date(Date.now() - ((i % 3 === 0 ? 2 : 30 + (i % 5) * 24) * 3600_000) + minutes * 60_000).toISOString();
  for (const [kind, count] of Object.entries(SEEDED) as [OutcomeKind, number][]) {
    for (let k = 0; k < count; k++) {
      const i = n++;
      const conversation = `seed-${i}`;
      if (i % 3 === 0) DAY_ONE_CONVERSATIONS++;
      const fix = fixes[i % fixes.length]!;
      const inFix = kind === 'resolved' || kind === 'abandoned' || kind === 'handed_off';
      if (inFix) {
        await store.record({ conversation, kind: 'fix_started', fix: fix.id, at: at(i, 0) });
        const reached = kind === 'resolved' ? fix.steps.length : 1 + (i % 2);
        for (const [j, s] of fix.steps.slice(0, reached).entries()) await store.record({ conversation, kind: 'step_reached', fix: fix.id, step: s.id, at: at(i, 1 + j) });
        const stuck = fix.steps[Math.min(reached, fix.steps.length) - 1]!;
        if (kind !== 'resolved' || i % 4 === 0) await store.record({ conversation, kind: 'cant_find', fix: fix.id, step: stuck.id, at: at(i, 8) });
        await store.record({ conversation, kind, fix: fix.id, ...(kind === 'abandoned' ? { step: stuck.id } : {}), at: at(i, 9) });
      } else {
        await store.record({ conversation, kind, at: at(i, 1) });
      }
      if (kind === 'resolved' || kind === 'handed_off') await store.recordCsat({ conversation, score: [5, 4, 5, 3, 5, 2][i % 6]!, after: kind === 'resolved' ? 'fix' : 'handoff', at: at(i, 10) });
    }
  }
  const inbox = (text: string, reason: 'below_route' | 'fallback' | 'rephrased', readings: { name: string; confidence: number }[]) =>
    store.addToInbox({ conversation: `seed-inbox-${text.length}`, text, reason, readings });
  await inbox('phone storage full what now', 'below_route', [{ name: 'check_storage', confidence: 0.48 }, { name: 'delete_old_backup', confidence: 0.31 }]);
  await inbox('asdfgh', 'fallback', [{ name: 'none', confidence: 0.9 }]);
  await inbox(`is my backup safe? ${PAYLOAD}`, 'fallback', [{ name: 'none', confidence: 0.62 }]);
  await inbox('the green switch thing for whatsapp in icloud settings', 'rephrased', [{ name: 'check_icloud_access', confidence: 0.52 }, { name: 'manual_backup', confidence: 0.2 }]);
}

/** Page errors, failed loads and console errors (the 401 / 403 of "am I signed in?" are on purpose; the bot has no favicon). */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => {
    if (r.status() === 404 || r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error' || /status of 40[13]/.test(m.text()) || m.location().url.endsWith('/favicon.ico')) return;
    problems.push(`${m.text()} ${m.location().url}`);
  });
  return problems;
}

async function expectVisible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

/** Waits until `read` gives `expected` (the page updates after its request returns); fails saying what it saw. */
async function becomes<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = await read();
  while (seen !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await read();
  }
  expect(seen).toBe(expected);
}

/** Fonts and layout settle before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(150);
}
