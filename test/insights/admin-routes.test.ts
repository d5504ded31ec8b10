/**
 * The insights dashboard's API over real HTTP against the real bot: who may
 * see it (401 / 403), figures equal to the events recorded in the bot's own
 * store, the CSV download, and the understanding inbox's review.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/handoff/agent-accounts';
import type { InsightsFigures } from '../../src/insights/figures';
import type { InboxItem, OutcomeKind } from '../../src/insights/insights-store';
import { INTENTS } from '../../src/nlu/types';
import { AgentClient } from '../handoff/agent-client';
import { startBot } from '../support/running-bot';
import type { RunningBot } from '../support/running-bot';

const PASSWORD = 'correct horse battery staple';

describe('the insights API (/admin/api)', () => {
  let bot: RunningBot;
  let admin: AgentClient;
  let agent: AgentClient;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

  beforeAll(async () => {
    const hash = hashPassword(PASSWORD);
    bot = await startBot({ env: { AGENT_ACCOUNTS: `Alex:agent:${hash},Sam:admin:${hash}` } });
    admin = new AgentClient(bot.url);
    agent = new AgentClient(bot.url);
    expect((await admin.signIn('Sam', PASSWORD)).status).toBe(200);
    expect((await agent.signIn('Alex', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await bot?.close();
  });

  test.each([
    ['GET', '/admin/api/figures?since=7d'],
    ['GET', '/admin/api/figures.csv?since=7d'],
    ['GET', '/admin/api/inbox'],
    ['POST', '/admin/api/inbox/1'],
  ])('%s %s: 401 without a session, 403 with a forged one, 403 ADMIN_ROLE_REQUIRED for an agent', async (method, path) => {
    const body = method === 'POST' ? { dismiss: true } : undefined;
    const nobody = await raw(new AgentClient(bot.url), method, path, body);
    expect([nobody.status, nobody.json]).toEqual([401, { error: expect.objectContaining({ code: 'AGENT_UNAUTHENTICATED' }) }]);
    const forger = new AgentClient(bot.url);
    forger.cookie = randomBytes(32).toString('base64url');
    const forged = await raw(forger, method, path, body);
    expect([forged.status, forged.json]).toEqual([403, { error: expect.objectContaining({ code: 'AGENT_FORBIDDEN' }) }]);
    const notAdmin = await raw(agent, method, path, body);
    expect([notAdmin.status, notAdmin.json]).toEqual([403, { error: expect.objectContaining({ code: 'ADMIN_ROLE_REQUIRED' }) }]);
  });

  test('the page and its three assets come with the strict CSP; nothing else is served under /admin/assets', async () => {
    const page = await fetch(`${bot.url}/admin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('/admin/assets/chart.umd.js');
    for (const file of ['admin.js', 'admin.css', 'chart.umd.js']) {
      const asset = await fetch(`${bot.url}/admin/assets/${file}`);
      expect([file, asset.status, asset.headers.get('content-security-policy')]).toEqual([file, 200, expect.stringContaining("default-src 'self'")]);
    }
    expect(await (await fetch(`${bot.url}/admin/assets/chart.umd.js`)).text()).toMatch(/Chart\.js v4\.5\.1/);
    for (const path of ['/admin/assets/index.html', '/admin/assets/..%2F..%2F..%2Fpackage.json', '/admin/assets/chart.umd.js.map', '/admin/assets/.env']) {
      expect([path, (await fetch(`${bot.url}${path}`)).status]).toEqual([path, 404]);
    }
  });

  test("an admin's figures equal the events recorded in the bot's store, in JSON and in CSV", async () => {
    const fix = bot.app.content.fixes[0]!;
    const [first, second] = fix.steps.map((s) => s.id);
    const counts: Record<OutcomeKind, number> = { resolved: 3, escalated: 2, handed_off: 2, abandoned: 1, out_of_scope: 1, android: 4 };
    let n = 0;
    for (const [kind, count] of Object.entries(counts) as [OutcomeKind, number][]) {
      for (let i = 0; i < count; i++) {
        const conversation = `figures-${++n}`;
        await bot.app.insights.record({ conversation, kind: 'fix_started', fix: fix.id, at: hoursAgo(2) });
        await bot.app.insights.record({ conversation, kind: 'step_reached', fix: fix.id, step: first, at: hoursAgo(2) });
        if (kind === 'abandoned') await bot.app.insights.record({ conversation, kind: 'cant_find', fix: fix.id, step: first, at: hoursAgo(2) });
        await bot.app.insights.record({ conversation, kind, ...(kind === 'resolved' || kind === 'abandoned' ? { fix: fix.id, step: first } : {}), at: hoursAgo(1) });
      }
    }
    // One still running, and one outside the period (older than a day).
    await bot.app.insights.record({ conversation: 'figures-open', kind: 'fix_started', fix: fix.id, at: hoursAgo(1) });
    await bot.app.insights.record({ conversation: 'figures-old', kind: 'resolved', fix: fix.id, at: hoursAgo(30) });
    await bot.app.insights.recordCsat({ conversation: 'figures-1', score: 5, after: 'fix', at: hoursAgo(1) });
    await bot.app.insights.recordCsat({ conversation: 'figures-2', score: 4, after: 'fix', at: hoursAgo(1) });
    await bot.app.insights.recordCsat({ conversation: 'figures-7', score: 1, after: 'handoff', at: hoursAgo(1) });

    const answer = await admin.call('GET', '/admin/api/figures?since=24h');
    expect(answer.status).toBe(200);
    const figures = answer.body as unknown as InsightsFigures;
    expect(figures.outcomes).toEqual(counts);
    expect(figures.conversations).toBe(n + 1);
    expect(figures.open).toBe(1);
    expect(figures.resolvedByFix).toEqual([{ fix: fix.id, resolved: 3 }]);
    const funnel = figures.fixes.find((f) => f.fix === fix.id)!;
    expect(funnel).toMatchObject({ started: n + 1, solved: 3, abandoned: 1 });
    // The steps in the fix's own order, the unreached ones too.
    expect(funnel.steps.map((s) => s.step)).toEqual(fix.steps.map((s) => s.id));
    expect(funnel.steps[0]).toEqual({ step: first, reached: n, cantFind: 1, abandoned: 1 });
    if (second) expect(funnel.steps[1]).toEqual({ step: second, reached: 0, cantFind: 0, abandoned: 0 });
    expect(figures.csat).toEqual({ answers: 3, mean: 3.33, distribution: [1, 0, 0, 1, 1] });

    // A week also holds the older one.
    expect(((await admin.call('GET', '/admin/api/figures?since=7d')).body as unknown as InsightsFigures).outcomes.resolved).toBe(4);

    const csv = await raw(admin, 'GET', '/admin/api/figures.csv?since=24h');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="insights-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('section,fix,step,metric,value,since,until');
    for (const [kind, count] of Object.entries(counts)) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^outcome,,,${kind},${count},`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^step,${fix.id},${first},cant_find,1,`)));
  });

  test.each([
    ['since=yesterday', /since must be like 7d, 24h, 2w or a date/],
    ['since=2026-02-01&until=2026-01-01', /the period is empty/],
    ['since=1d&until=nonsense', /until must be like/],
  ])('a bad period (%s) is 400 BAD_PERIOD saying what is wrong', async (query, message) => {
    for (const path of ['/admin/api/figures', '/admin/api/figures.csv']) {
      const answer = await raw(admin, 'GET', `${path}?${query}`);
      expect([path, answer.status, answer.json?.error.code]).toEqual([path, 400, 'BAD_PERIOD']);
      expect(answer.json!.error.message).toMatch(message);
    }
  });

  test('the inbox lists open and labelled messages with the 15 intents; label, dismiss, unknown id, bad label, CSRF', async () => {
    const add = (conversation: string, text: string) =>
      bot.app.insights.addToInbox({ conversation, text, reason: 'below_route', readings: [{ name: 'check_storage', confidence: 0.41 }] });
    await add('inbox-1', 'my icloud is full i think');
    await add('inbox-2', 'mail me at someone@example.com about it');
    await add('inbox-3', 'asdf');

    const listed = await admin.call('GET', '/admin/api/inbox');
    expect(listed.status).toBe(200);
    const body = listed.body as unknown as { open: InboxItem[]; labelled: InboxItem[]; intents: string[] };
    expect(body.intents).toEqual([...INTENTS]);
    expect(body.intents).toHaveLength(15);
    expect(body.intents).toContain('none');
    expect(body.labelled).toEqual([]);
    expect(body.open.map((i) => i.conversation)).toEqual(['inbox-3', 'inbox-2', 'inbox-1']);
    expect(body.open[1]!.text).not.toContain('someone@example.com');
    expect(body.open[2]).toMatchObject({ text: 'my icloud is full i think', reason: 'below_route', readings: [{ name: 'check_storage', confidence: 0.41 }], status: 'open' });
    const [asdf, mail, full] = body.open.map((i) => i.id);

    expect((await admin.call('POST', `/admin/api/inbox/${full}`, { label: 'check_storage' })).status).toBe(204);
    expect((await admin.call('POST', `/admin/api/inbox/${asdf}`, { dismiss: true })).status).toBe(204);
    const after = (await admin.call('GET', '/admin/api/inbox')).body as unknown as { open: InboxItem[]; labelled: InboxItem[] };
    expect(after.open.map((i) => i.id)).toEqual([mail]);
    expect(after.labelled).toEqual([expect.objectContaining({ id: full, label: 'check_storage', labelledBy: 'Sam', status: 'labelled' })]);
    expect((await bot.app.insights.inboxItem(asdf!))!.status).toBe('dismissed');

    for (const id of ['999999', '0', 'abc', '1e3', '-1']) {
      const answer = await admin.call('POST', `/admin/api/inbox/${id}`, { label: 'none' });
      expect([id, answer.status, answer.body]).toEqual([id, 404, { error: expect.objectContaining({ code: 'INBOX_ITEM_NOT_FOUND' }) }]);
    }
    await bot.app.insights.markImported([full!]);
    expect((await admin.call('POST', `/admin/api/inbox/${full}`, { label: 'none' })).status).toBe(404);

    for (const bad of [{ label: 'not_an_intent' }, { label: 'constructor' }, { label: '__proto__' }, {}, { dismiss: 'yes' }, { label: 'none', dismiss: true }, ['none']]) {
      const answer = await admin.call('POST', `/admin/api/inbox/${mail}`, bad);
      expect([bad, answer.status, answer.body]).toEqual([bad, 400, { error: expect.objectContaining({ code: 'BAD_INBOX_REVIEW' }) }]);
    }

    const noHeader = await admin.call('POST', `/admin/api/inbox/${mail}`, { label: 'none' }, { csrf: false });
    expect(noHeader).toMatchObject({ status: 403, body: { error: { code: 'CSRF_REJECTED' } } });
    const otherSite = await admin.call('POST', `/admin/api/inbox/${mail}`, { label: 'none' }, { headers: { origin: 'https://evil.example' } });
    expect(otherSite).toMatchObject({ status: 403, body: { error: { code: 'CSRF_REJECTED' } } });
    const crossSite = await admin.call('POST', `/admin/api/inbox/${mail}`, { label: 'none' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await bot.app.insights.inboxItem(mail!))!.status).toBe('open');
    expect((await admin.call('POST', `/admin/api/inbox/${mail}`, { label: 'none' }, { headers: { origin: bot.url } })).status).toBe(204);
    expect(await bot.app.insights.inboxItem(mail!)).toMatchObject({ status: 'labelled', label: 'none' });
  });

  test('the one session opens both pages: signing out on the console ends the insights too', async () => {
    const both = new AgentClient(bot.url);
    expect((await both.signIn('Sam', PASSWORD)).status).toBe(200);
    expect((await both.call('GET', '/agent/api/me')).status).toBe(200);
    expect((await both.call('GET', '/admin/api/inbox')).status).toBe(200);
    expect((await both.call('DELETE', '/agent/api/session')).status).toBe(204);
    expect((await both.call('GET', '/admin/api/inbox')).status).toBe(403);
  });
});

test('with an external desk the console is off, but its sign-in still opens /admin', async () => {
  const bot = await startBot({
    env: {
      AGENT_ACCOUNTS: `Sam:admin:${hashPassword(PASSWORD)}`,
      HANDOFF_DESK: 'chatwoot',
      // Nothing listens here: no hand-off happens in this test.
      CHATWOOT_URL: 'http://127.0.0.1:9',
      CHATWOOT_ACCOUNT_ID: '1',
      CHATWOOT_INBOX_ID: '7',
      CHATWOOT_API_TOKEN: 'token',
      CHATWOOT_WEBHOOK_SECRET: 'a webhook secret of some length',
    },
  });
  try {
    expect((await fetch(`${bot.url}/agent`)).status).toBe(404);
    const sam = new AgentClient(bot.url);
    expect((await sam.signIn('Sam', PASSWORD)).status).toBe(200);
    expect((await sam.call('GET', '/agent/api/queue')).status).toBe(404);
    expect((await fetch(`${bot.url}/admin`)).status).toBe(200);
    expect((await sam.call('GET', '/admin/api/inbox')).status).toBe(200);
  } finally {
    await bot.close();
  }
});

/** A call whose answer may not be JSON (the CSV). */
async function raw(client: AgentClient, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: { error: { code: string; message: string } } | undefined; headers: Headers }> {
  const headers: Record<string, string> = { 'x-agent-console': '1' };
  if (client.cookie) headers.cookie = `agent_session=${client.cookie}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${client.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as { error: { code: string; message: string } }) : undefined;
  return { status: response.status, text, json, headers: response.headers };
}
