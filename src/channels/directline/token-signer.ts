import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../../server/http-error';

/** What a built-in Direct Line token grants: one conversation, as one user, until `exp` (seconds). */
export interface TokenClaims {
  conversationId: string;
  userId: string;
  exp: number;
}

export interface TokenSignerOptions {
  /** The service secret; the signing key is derived from it, so tokens and secret are never interchangeable. */
  secret: string;
  ttlSeconds: number;
  now?: () => number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

export interface TokenSigner {
  issue(claims: Omit<TokenClaims, 'exp'>): IssuedToken;
  /** The claims of a genuine, unexpired token; DL_UNAUTHORIZED (401) otherwise. */
  verify(token: string): TokenClaims;
  /** Whether `candidate` is the service secret (constant time). */
  isSecret(candidate: string): boolean;
}

const PREFIX = 'dl1';

/** HMAC-SHA256 signed tokens: stateless, so any number of them cost no memory and survive nothing but the secret. */
export function createTokenSigner({ secret, ttlSeconds, now = Date.now }: TokenSignerOptions): TokenSigner {
  if (typeof secret !== 'string' || secret.length < 32) throw new Error('createTokenSigner needs a secret of at least 32 characters');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error('createTokenSigner needs ttlSeconds >= 1');
  const key = createHmac('sha256', secret).update('directline-token-signing').digest();
  const secretDigest = digest(secret);
  const sign = (payload: string) => createHmac('sha256', key).update(`${PREFIX}.${payload}`).digest('base64url');

  return {
    issue({ conversationId, userId }) {
      const exp = Math.floor(now() / 1000) + ttlSeconds;
      const payload = Buffer.from(JSON.stringify({ c: conversationId, u: userId, exp, n: randomBytes(6).toString('base64url') })).toString('base64url');
      return { token: `${PREFIX}.${payload}.${sign(payload)}`, expiresIn: ttlSeconds };
    },
    verify(token) {
      const [prefix, payload, signature] = token.split('.');
      if (prefix !== PREFIX || !payload || !signature || token.split('.').length !== 3) throw new HttpError('DL_UNAUTHORIZED', 'Malformed token.');
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new HttpError('DL_UNAUTHORIZED', 'Bad token signature.');
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c?: unknown; u?: unknown; exp?: unknown };
      if (typeof body.c !== 'string' || typeof body.u !== 'string' || typeof body.exp !== 'number') throw new HttpError('DL_UNAUTHORIZED', 'Malformed token.');
      if (body.exp * 1000 <= now()) throw new HttpError('DL_UNAUTHORIZED', 'Token expired.');
      return { conversationId: body.c, userId: body.u, exp: body.exp };
    },
    isSecret(candidate) {
      return timingSafeEqual(digest(candidate), secretDigest);
    },
  };
}

function digest(value: string): Buffer {
  return createHmac('sha256', 'compare').update(value).digest();
}
