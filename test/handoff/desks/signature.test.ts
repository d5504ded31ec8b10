/**
 * Chatwoot's webhook signature, as Chatwoot's own spec (spec/lib/webhooks/trigger_spec.rb, "adds X-Chatwoot-Timestamp
 * and X-Chatwoot-Signature headers with timestamp.body HMAC") states it: "sha256=" + hex HMAC-SHA256(secret, "<ts>.<body>").
 * The expected value below was computed with openssl, not with the code under test:
 *   printf '%s' '1700000000.{"event":"message_created","id":1}' | openssl dgst -sha256 -hmac 'inbox-secret'
 */
import { createHmac } from 'node:crypto';
import { checkChatwootSignature, chatwootSignature } from '../../../src/handoff/desks/chatwoot/signature';

const SECRET = 'inbox-secret';
const BODY = Buffer.from('{"event":"message_created","id":1}');
const TS = '1700000000';
const SIGNED = 'sha256=8233c9d89a29c5728d34176633f7acfe6f0dc9429f839da933f93e07099dbb17';
const check = (over: Partial<Parameters<typeof checkChatwootSignature>[0]>) =>
  checkChatwootSignature({ secret: SECRET, timestamp: TS, signature: SIGNED, body: BODY, now: 1700000000, ...over });

test('signs "<timestamp>.<body>" with HMAC-SHA256, hex, prefixed sha256= (as openssl computes it)', () => {
  expect(chatwootSignature(SECRET, TS, BODY)).toBe(SIGNED);
  expect(chatwootSignature(SECRET, TS, BODY.toString())).toBe(SIGNED);
});

test('accepts a fresh delivery signed with the secret, up to five minutes either way', () => {
  expect(check({})).toBe('ok');
  expect(check({ now: 1700000000 + 300 })).toBe('ok');
  expect(check({ now: 1700000000 - 300 })).toBe('ok');
});

test('refuses a stale or future timestamp (over five minutes), even when signed correctly', () => {
  expect(check({ now: 1700000000 + 301 })).toBe('stale');
  expect(check({ now: 1700000000 - 301 })).toBe('stale');
});

test('refuses another secret, a changed body, a changed timestamp, the body-only HMAC and junk', () => {
  expect(check({ secret: 'other' })).toBe('mismatch');
  expect(check({ body: Buffer.from('{"event":"message_created","id":2}') })).toBe('mismatch');
  expect(check({ timestamp: '1700000001', now: 1700000001 })).toBe('mismatch');
  expect(check({ signature: `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}` })).toBe('mismatch');
  expect(check({ signature: SIGNED.slice(0, 20) })).toBe('mismatch');
  expect(check({ signature: SIGNED.toUpperCase() })).toBe('mismatch');
  expect(check({ timestamp: '17e8' })).toBe('mismatch');
});

test('refuses a delivery without the headers', () => {
  expect(check({ signature: undefined })).toBe('missing');
  expect(check({ timestamp: undefined })).toBe('missing');
  expect(check({ timestamp: '' })).toBe('missing');
});
