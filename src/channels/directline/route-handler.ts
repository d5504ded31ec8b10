import type { Request, Response } from 'restify';

/** The server's base URL as the caller reached it: PUBLIC_URL when set (behind a proxy), else the request's Host. */
export function requestBase(req: Request, publicUrl: string, fallback: () => string): string {
  if (publicUrl) return publicUrl;
  const host = req.headers.host;
  if (!host || !/^[\w.:[\]-]+$/.test(host)) return fallback();
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim();
  return `${forwarded === 'https' ? 'https' : 'http'}://${host}`;
}

/** Direct Line is called from pages on any origin with a bearer token (no cookies), as Azure allows. */
export function allowAnyOrigin(res: Response): void {
  res.header('Access-Control-Allow-Origin', '*');
  res.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent');
  res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.header('Access-Control-Max-Age', '600');
  // Not a CORS-safelisted header: without this a page on another origin can't read when to retry a 429/503.
  res.header('Access-Control-Expose-Headers', 'Retry-After');
}
