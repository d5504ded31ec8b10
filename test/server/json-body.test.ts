import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { MAX_JSON_DEPTH, nestsDeeperThan, readJsonBody } from '../../src/server/json-body';

/** A request as the HTTP server hands it over: headers, then the body as a stream. */
function request(body: string): IncomingMessage {
  const req = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  Object.assign(req, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } });
  return req;
}

describe('"__proto__" keys are dropped wherever they are and however they are written', () => {
  test.each([
    ['plain', '{"__proto__":{"polluted":true},"text":"hi"}'],
    ['escaped', '{"\\u005f_proto__":{"polluted":true},"text":"hi"}'],
    ['all escaped', '{"\\u005f\\u005f\\u0070roto\\u005f_":{"polluted":true},"text":"hi"}'],
    ['nested', '{"channelData":{"__proto__":{"polluted":true}},"text":"hi"}'],
  ])('%s', async (_name, body) => {
    const parsed = (await readJsonBody(request(body), 10_000)) as Record<string, unknown>;
    expect(parsed.text).toBe('hi');
    for (const value of [parsed, parsed.channelData].filter(Boolean) as object[]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(false);
      expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  test('a message without one is parsed as it is', async () => {
    expect(await readJsonBody(request('{"text":"my backup is stuck 😩 at 12%","value":{"choice":"done"}}'), 10_000)).toEqual({
      text: 'my backup is stuck 😩 at 12%',
      value: { choice: 'done' },
    });
  });
});

test.each<[string, number, boolean]>([
  ['[[[]]]', 3, false],
  ['[[[]]]', 2, true],
  ['{"a":{"b":[1,{"c":2}]}}', 4, false],
  ['{"a":{"b":[1,{"c":2}]}}', 3, true],
  ['{"text":"[[[[[[[[[[{{{{{{"}', 1, false],
  ['{"text":"\\"[[[[[[[[[[\\\\"}', 1, false],
  ['["\\\\",[[[]]]]', 3, true],
  ['', 0, false],
])('nestsDeeperThan(%s, %i) → %s', (text, max, expected) => {
  expect(nestsDeeperThan(text, max)).toBe(expected);
});

test('closing brackets first cannot buy depth for later', () => {
  expect(nestsDeeperThan(`${']'.repeat(100)}${'['.repeat(MAX_JSON_DEPTH + 1)}`, MAX_JSON_DEPTH)).toBe(true);
});

test('a million levels are scanned without recursion', () => {
  expect(nestsDeeperThan('['.repeat(1_000_000), MAX_JSON_DEPTH)).toBe(true);
});
