import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

const CROSS_SITE = new Set(['cross-site', 'same-site']);

/**
 * Refuses a browser request sent by another site (403). With auth off, a page
 * the developer visits could otherwise drive the local bot with a form post;
 * channels and server-side clients send neither header, so they pass.
 * `ownOrigin` is PUBLIC_URL when set; otherwise the request's own Host counts.
 */
export function assertSameOrigin(req: IncomingMessage, ownOrigin: string): void {
  const site = String(req.headers['sec-fetch-site'] ?? '').toLowerCase();
  if (CROSS_SITE.has(site)) throw new HttpError('CROSS_SITE_REFUSED');
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const own = ownOrigin ? [ownOrigin.toLowerCase()] : [`http://${req.headers.host ?? ''}`, `https://${req.headers.host ?? ''}`].map((o) => o.toLowerCase());
  if (!own.includes(origin.toLowerCase())) throw new HttpError('CROSS_SITE_REFUSED');
}
