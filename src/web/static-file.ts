import { existsSync, readFileSync } from 'node:fs';
import type { Response } from 'restify';
import { HttpError } from '../server/http-error';

/** The signed-in pages (console, insights) load nothing from elsewhere and run no inline code. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/** A page asset's name: no folders, no dot files, one of a few types. */
const ASSET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(js|css|png|svg|ico|woff2|json)$/;
const TYPES = new Map([
  ['js', 'text/javascript; charset=utf-8'],
  ['css', 'text/css; charset=utf-8'],
  ['png', 'image/png'],
  ['svg', 'image/svg+xml'],
  ['ico', 'image/x-icon'],
  ['woff2', 'font/woff2'],
  ['json', 'application/json'],
]);

export const HTML = 'text/html; charset=utf-8';

/** The content type of an asset name from a URL, or a 404 for anything that is not a plain asset name. */
export function assetType(name: string): string {
  const m = ASSET.exec(name);
  if (!m) throw new HttpError('NOT_FOUND');
  return TYPES.get(m[1]!)!;
}

/** One of a signed-in page's own files, read when asked, with the strict CSP and no framing. */
export function serveStaticFile(res: Response, file: string, type: string): void {
  if (!existsSync(file)) throw new HttpError('NOT_FOUND');
  res.sendRaw(200, readFileSync(file), {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
}
