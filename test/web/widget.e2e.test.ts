/**
 * End to end in a real browser (Debian's chromium, driven by playwright-core):
 * the demo page, the launcher, Web Chat on the built-in Direct Line, buttons,
 * minimise, reload-and-resume, and a phone-sized viewport.
 */
import { join } from 'node:path';
import { browserDescribe, openBrowser, screenshotsDir } from '../support/browser';
import type { OpenBrowser } from '../support/browser';
import type { BrowserContext, Page } from 'playwright-core';
import { call, startApp } from '../directline/harness';
import type { Running } from '../directline/harness';

const inBrowser = browserDescribe('web widget browser test');

inBrowser('the web widget in a browser', () => {
  let running: Running;
  let context: BrowserContext;
  let browser: OpenBrowser | undefined;

  beforeAll(async () => {
    running = await startApp();
    browser = await openBrowser('widget', { viewport: { width: 1280, height: 820 } });
    context = browser.context;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const transcript = (page: Page) => page.locator('[role="dialog"] .webchat__basic-transcript');
  const bubble = (page: Page, text: string | RegExp) => transcript(page).getByText(text).first();
  // Web Chat also mirrors buttons into a screen-reader live region: pick the visible toolbar's.
  const action = (page: Page, name: string) =>
    page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name, exact: true });

  it('welcomes on open, follows the buttons, minimises, and resumes after a reload', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(running.url);

    const launcher = page.getByRole('button', { name: 'Open chat: WhatsApp backup help' });
    await expectVisible(launcher);
    await launcher.focus();
    await page.keyboard.press('Enter'); // keyboard, not just mouse
    const dialog = page.getByRole('dialog', { name: 'WhatsApp backup help' });
    await expectVisible(dialog);
    await expectVisible(bubble(page, /here for one job/));
    await expectVisible(action(page, 'Not enough iCloud space'));

    const input = dialog.getByRole('textbox').first();
    await input.fill("whatsapp won't back up to icloud");
    await input.press('Enter');
    await expectVisible(bubble(page, /your name/));
    await action(page, 'Done').click();
    await expectVisible(bubble(page, /Sync this iPhone/));
    await action(page, 'Done').click();
    await expectVisible(bubble(page, /Apps Using iCloud/));
    await settle(page);
    await page.screenshot({ path: join(SHOTS, 'web-widget.png') });

    // Minimise keeps the conversation; Escape does the same and returns focus to the launcher.
    await dialog.getByRole('button', { name: 'Minimise chat' }).click();
    expect(await dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: /Open chat/ }).click();
    await expectVisible(bubble(page, /Apps Using iCloud/));
    await dialog.getByRole('textbox').first().press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Open chat: WhatsApp backup help');
    await page.getByRole('button', { name: /Open chat/ }).click();

    // A reload reopens the same conversation, with its history replayed.
    await page.reload();
    await expectVisible(bubble(page, /whatsapp won.t back up to icloud/));
    await expectVisible(bubble(page, /Apps Using iCloud/));
    await expectVisible(action(page, 'Done'));
    // Resumed, not restarted: the stored conversation holds one welcome and the whole walk.
    // Strings, not functions: this project compiles without the DOM lib.
    const stored = (await page.evaluate('JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage)[0]))')) as Record<string, string>;
    const log = await call('GET', `${stored.domain}/conversations/${stored.conversationId}/activities`, stored.token);
    const texts = (log.body.activities as Array<{ text?: string }>).map((a) => a.text ?? '');
    expect(texts.filter((t) => t.includes('here for one job'))).toHaveLength(1);
    expect(texts.filter((t) => t === 'Done')).toHaveLength(2);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('fills a phone-sized screen and keeps the send box reachable', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 667 });
    await page.goto(`${running.url}/?phone`);
    await page.evaluate('sessionStorage.clear()');
    await page.reload();
    await page.getByRole('button', { name: /Open chat/ }).click();
    const dialog = page.getByRole('dialog', { name: 'WhatsApp backup help' });
    await expectVisible(bubble(page, /here for one job/));
    const box = await dialog.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 667 });
    const input = dialog.getByRole('textbox').first();
    expect(await input.isVisible()).toBe(true);
    await settle(page);
    await page.screenshot({ path: join(SHOTS, 'web-widget-phone.png') });
    await page.close();
  }, 60_000);
});

const SHOTS = screenshotsDir('widget');

/** For the screenshots only: let Web Chat finish scrolling and drop its transient "Connecting…". */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.getByText('Connecting…').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(800);
}

async function expectVisible(locator: { waitFor(o: { state: 'visible'; timeout: number }): Promise<void> }): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 15_000 });
}
