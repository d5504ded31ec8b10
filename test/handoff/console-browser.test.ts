/**
 * The agent console in a real browser (Debian's chromium, driven by
 * playwright-core) against the real bot: a user asks for a person over the
 * bot's HTTP path; an agent signs in on a phone-sized screen, sees the
 * request with its summary, accepts, and chats both ways with typing shown.
 * A user message carrying HTML and script stays text. Also the page's other
 * states: a lost live feed, another agent first, no accounts, the inbox of
 * messages left.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { browserDescribe, openBrowser, screenshotsDir } from '../support/browser';
import type { OpenBrowser } from '../support/browser';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../src/handoff/agent-accounts';
import { Conversation } from '../integration/harness';
import { startBot } from '../support/running-bot';
import type { RunningBot } from '../support/running-bot';

const inBrowser = browserDescribe('agent console browser test');

const PASSWORD = 'correct horse battery staple';
// The bot's own **bold** is drawn as bold; a user's stays as typed.
const PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b> **not bold**';
const SHOTS = screenshotsDir('console');

inBrowser('the agent console in a browser', () => {
  let bot: RunningBot;
  let context: BrowserContext;
  let browser: OpenBrowser | undefined;

  beforeAll(async () => {
    const hash = hashPassword(PASSWORD);
    bot = await startBot({ env: { AGENT_ACCOUNTS: `Alex:agent:${hash},Sam:agent:${hash}` } });
    browser = await openBrowser('console', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    context = browser.context;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    if (!process.env.UPDATE_SCREENSHOTS) rmSync(SHOTS, { recursive: true, force: true });
  });

  it('signs in, sees the request and its summary, accepts, and chats both ways; user HTML stays text', async () => {
    const user = new Conversation(bot.channel);
    await user.join();
    await user.say("whatsapp won't back up to icloud");
    await user.say('talk to a person');
    await user.say('yes');
    await eventually(() => texts(user).some((t) => /number 1 in line/.test(t)));

    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => {
      if (r.status() === 404) problems.push(`404 ${r.url()}`);
    });
    page.on('console', (m) => {
      // The 401s are the page asking "am I signed in?" and the wrong password, both on purpose; 404s are listed above.
      if (m.type() === 'error' && !/status of 40[14]/.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${bot.url}/agent`);

    // Not signed in: the form; a wrong password is refused on the page.
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByLabel('Name').fill('Alex');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByText('That name and password do not match an agent account.'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The live queue: the request, its wait ticking.
    const waiting = page.locator('#waiting .item');
    await expectVisible(waiting.first());
    expect(await waiting.count()).toBe(1);
    const wait = waiting.first().locator('.wait');
    const before = await wait.textContent();
    await page.waitForTimeout(2100); // two ticks of the page's one-second clock
    expect(await wait.textContent()).not.toBe(before);

    // The summary and transcript.
    await waiting.first().click();
    const summary = page.locator('#d-summary');
    await expectVisible(summary.locator('dd').first());
    expect(await summary.locator('dd').first().textContent()).toBe("whatsapp won't back up to icloud");
    await expectVisible(summary.getByText('Fixes tried'));
    await expectVisible(page.locator('#d-transcript').getByText('talk to a person'));

    await page.getByRole('button', { name: 'Accept' }).click();
    await expectVisible(page.getByText('You are chatting with this user.'));
    await eventually(() => /has joined/.test(texts(user).join('\n')));

    // The agent writes; typing goes to the user first.
    const box = page.getByLabel('Message to the user');
    await box.fill('Hi, I am Alex. Which iPhone is it?');
    await eventually(() => bot.channel.received(user.id).some((a) => a.type === 'typing'));
    await box.press('Enter');
    await eventually(() => texts(user).some((t) => t.includes('Which iPhone is it?')));

    // The user types (shown), then sends HTML and script: it arrives as the literal text.
    await bot.channel.send({ type: 'typing', conversation: { id: user.id, isGroup: false, conversationType: 'personal', name: '' } });
    await expectVisible(page.getByText('User is typing…'));
    await user.say(PAYLOAD);
    const line = page.locator('#d-transcript .line.user').last();
    await expectVisible(line);
    expect(await line.textContent()).toContain(PAYLOAD);
    expect(await page.locator('#d-transcript img, #d-transcript script, #d-transcript b, #d-transcript .line.user strong').count()).toBe(0);
    expect(await page.locator('#d-transcript .line.bot strong').count()).toBeGreaterThan(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();

    // An internal note stays on the page, not with the user.
    await page.getByText('Internal notes').click();
    await page.getByLabel('Internal note (agents only)').fill('Asked for the model.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expectVisible(page.locator('#d-notes').getByText('Asked for the model.'));
    expect(texts(user).join('\n')).not.toContain('Asked for the model.');

    await settle(page);
    await page.screenshot({ path: join(SHOTS, 'agent-console.png'), fullPage: false });

    // The page fits the phone: nothing wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    await page.getByRole('button', { name: 'End chat' }).click();
    await expectVisible(page.getByText(/This chat has ended/));
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('says when the connection is lost, says when another agent accepted first, and catches up after reconnecting', async () => {
    const user = await queuedUser();
    const page = await context.newPage(); // the same browser profile: Alex is still signed in
    // No live feed at first: the page must say so, and still work over plain requests.
    await page.route('**/agent/api/events', (route) => route.abort());
    await page.goto(`${bot.url}/agent`);
    await expectVisible(page.getByRole('status').getByText('Reconnecting…'));
    const item = page.locator('#waiting .item');
    await expectVisible(item.first());
    await item.first().click();
    await expectVisible(page.getByRole('button', { name: 'Accept' }));

    // Sam accepts through the API while Alex's page cannot hear about it.
    const sam = await signIn('Sam');
    const id = (await api(sam, 'GET', '/queue')).body.waiting[0].id as string;
    expect((await api(sam, 'POST', `/handoffs/${id}/accept`)).status).toBe(200);

    await page.getByRole('button', { name: 'Accept' }).click();
    await expectVisible(page.getByRole('alert').getByText('Another agent accepted this request first.'));
    await expectVisible(page.getByText('In a chat with another agent.'));
    expect(await page.getByRole('button', { name: 'Accept' }).isVisible()).toBe(false);
    expect(await page.locator('#waiting .item').count()).toBe(0);

    // The feed comes back (EventSource retries by itself): the indicator goes, live updates arrive again.
    await page.unroute('**/agent/api/events');
    await page.getByRole('status').getByText('Reconnecting…').waitFor({ state: 'hidden', timeout: 15_000 });
    const next = await queuedUser();
    await expectVisible(page.locator('#waiting .item').first());
    expect(await page.locator('#waiting .item').count()).toBe(1);
    expect(user.id).not.toBe(next.id);
    await page.close();
  }, 90_000);

  it('says plainly when no agent accounts are configured', async () => {
    // Not loopback, so no one-off development account is made.
    const bare = await startBot({ env: { HOST: '0.0.0.0' } });
    // The browser still holds Alex's cookie from the other bot (same host): unknown here, and no accounts either.
    expect((await context.cookies(`${bare.url}/agent/api/me`)).map((c) => c.name)).toContain('agent_session');
    try {
      const page = await context.newPage();
      await page.goto(`${bare.url}/agent`);
      await expectVisible(page.getByText(/No agent accounts are configured/));
      expect(await page.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
      await page.close();
    } finally {
      await bare.close();
    }
  }, 60_000);

  it('shows a message left by a user nobody could take, with its transcript, in the inbox', async () => {
    const quick = await startBot({ env: { AGENT_ACCOUNTS: `Alex:agent:${hashPassword(PASSWORD)}`, HANDOFF_TIMEOUT_SECONDS: '1' } });
    try {
      const user = new Conversation(quick.channel);
      await user.join();
      await user.say('talk to a person');
      await user.say('yes');
      await eventually(() => texts(user).some((t) => t.includes('type a message now')), 10_000);
      const left = 'Please call me back <b>tomorrow</b>, my chats matter';
      await user.say(left);
      await eventually(() => texts(user).some((t) => t.includes('your message is saved')));

      await context.clearCookies();
      const page = await context.newPage();
      await page.goto(`${quick.url}/agent`);
      await page.getByLabel('Name').fill('Alex');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const item = page.locator('#left .item');
      await expectVisible(item.first());
      expect(await item.first().locator('.asked').textContent()).toBe(left);
      await item.first().click();
      await expectVisible(page.locator('#d-left'));
      expect(await page.locator('#d-left').textContent()).toBe(left);
      await expectVisible(page.locator('#d-transcript').getByText('talk to a person'));
      expect(await page.getByRole('button', { name: 'Accept' }).isVisible()).toBe(false);
      await page.close();
    } finally {
      await quick.close();
    }
  }, 60_000);

  /** A user who asked for a person and is waiting in the queue. */
  async function queuedUser(): Promise<Conversation> {
    const user = new Conversation(bot.channel);
    await user.join();
    await user.say('my whatsapp backup is stuck');
    await user.say('talk to a person');
    await user.say('yes');
    await eventually(() => texts(user).some((t) => /in line/.test(t)));
    return user;
  }

  async function signIn(name: string): Promise<string> {
    const res = await api('', 'POST', '/session', { name, password: PASSWORD });
    expect(res.status).toBe(200);
    return res.cookie;
  }

  async function api(cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { waiting: Array<{ id: string }> }; cookie: string }> {
    const res = await fetch(`${bot.url}/agent/api${path}`, {
      method,
      headers: { 'X-Agent-Console': '1', ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
  }
});

function texts(user: Conversation): string[] {
  return user.channel.received(user.id).filter((a) => a.type === 'message').map((a) => a.text ?? '');
}

async function expectVisible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Fonts and layout settle before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(150);
}
