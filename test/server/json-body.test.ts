import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/server/json-body';

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
