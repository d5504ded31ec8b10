import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Chatwoot's webhook signature, as its Webhooks::Trigger computes it:
 * `X-Chatwoot-Timestamp` = Unix seconds, `X-Chatwoot-Signature` =
 * "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<raw body>").
 */
export function chatwootSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

export interface SignatureInput {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
  /** Unix seconds now. */
  now: number;
  /** How far the timestamp may be from now, either way (a replay window). */
  toleranceSeconds?: number;
}

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Whether a delivery is Chatwoot's and fresh; compares in constant time. */
export function checkChatwootSignature({ secret, timestamp, signature, body, now, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS }: SignatureInput): SignatureCheck {
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'mismatch';
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) return 'stale';
  const expected = Buffer.from(chatwootSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
