import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Conversation, ROOT, messagesText, oneMessage, removeTempDirs, startBot, validActivity } from './harness';
import type { RunningBot } from './harness';

const text = messagesText();

let bot: RunningBot;

beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot?.close();
  removeTempDirs();
});

function activity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return validActivity(bot.channel.serviceUrl, overrides);
}

async function post(body: unknown): Promise<{ status: number; json: unknown; body: string }> {
  const res = await bot.channel.post(typeof body === 'string' ? body : JSON.stringify(body));
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, body: res.body };
}

/** The server keeps serving: a valid message in a new conversation is answered. */
async function expectStillServing(): Promise<void> {
  const turn = await new Conversation(bot.channel).say('hello');
  expect(turn.status).toBe(200);
  expect(turn.activities.map((a) => a.text)).toEqual([oneMessage(text.greeting, text.menu_prompt)]);
}

describe('POST /api/messages refuses what is not an activity, and keeps serving', () => {
  test('malformed JSON → 400', async () => {
    const res = await post('{"type": "message", ');
    expect(res.status).toBe(400);
    await expectStillServing();
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a JSON array', () => [activity()], /JSON object/],
    ['a missing "type"', () => activity({ type: undefined }), /"type"/],
    ['a missing "conversation.id"', () => activity({ conversation: {} }), /"conversation\.id"/],
    ['no "conversation" at all', () => activity({ conversation: undefined }), /"conversation\.id"/],
    ['a non-http serviceUrl', () => activity({ serviceUrl: 'file:///etc/passwd' }), /"serviceUrl" must be an http\(s\) URL/],
    ['a "text" that is not a string', () => activity({ text: { evil: true } }), /"text"/],
    ['a "from" without an id', () => activity({ from: { name: 'no id' } }), /"from\.id"/],
  ])('%s → 400 {error:{code:"BAD_ACTIVITY", message}} naming the field', async (_name, body, field) => {
    const res = await post(body());
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: 'BAD_ACTIVITY', message: expect.stringMatching(field) } });
    await expectStillServing();
  });

  test('a body over 256 KiB → 413', async () => {
    const res = await post(activity({ text: 'x'.repeat(256 * 1024 + 1) }));
    expect(res.status).toBe(413);
    await expectStillServing();
  });

  test('a body just under 256 KiB is still accepted', async () => {
    const base = JSON.stringify(activity({ text: '' })).length;
    const res = await post(activity({ text: 'a'.repeat(256 * 1024 - base - 16) }));
    expect(res.status).toBe(200);
  });

  test('no bad request made the app log an error', async () => {
    expect(bot.errors).toEqual([]);
  });
});

describe('POST /api/nlu/parse', () => {
  const parse = (body: unknown) =>
    fetch(`${bot.url}/api/nlu/parse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('{"text":"is icloud down"} → 200 with text, intent, intent_ranking and entities', async () => {
    const res = await parse({ text: 'is icloud down' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      text: string;
      intent: { name: string; confidence: number };
      intent_ranking: Array<{ name: string; confidence: number }>;
      entities: unknown[];
    };
    expect(body.text).toBe('is icloud down');
    expect(body.intent).toEqual({ name: 'icloud_status', confidence: expect.any(Number) });
    expect(body.intent.confidence).toBeGreaterThan(0);
    expect(body.intent.confidence).toBeLessThanOrEqual(1);
    expect(body.intent_ranking.length).toBeGreaterThan(1);
    expect(body.intent_ranking[0]).toEqual(body.intent);
    const confidences = body.intent_ranking.map((r) => r.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(Array.isArray(body.entities)).toBe(true);
  });

  test('sizes come back as entities', async () => {
    const body = (await (await parse({ text: 'my backup is 3.4 GB and I have 5 GB free' })).json()) as { entities: Array<{ entity: string }> };
    expect(body.entities.filter((e) => e.entity === 'size')).toHaveLength(2);
  });

  test.each<[string, unknown]>([
    ['missing text', {}],
    ['text that is not a string', { text: 42 }],
    ['text over 2,000 characters', { text: 'a'.repeat(2001) }],
  ])('%s → 400 BAD_PARSE_REQUEST', async (_name, body) => {
    const res = await parse(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BAD_PARSE_REQUEST', message: expect.any(String) } });
  });
});

test('GET /healthz → {status:"ok", version, content}', async () => {
  const res = await fetch(`${bot.url}/healthz`);
  expect(res.status).toBe(200);
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  expect(await res.json()).toMatchObject({ status: 'ok', version, content: bot.app.content.hash });
  expect(bot.app.content.hash).toMatch(/^[0-9a-f]{12}$/);
});
