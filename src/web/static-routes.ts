import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { PROJECT_ROOT } from '../project';

export interface WebRoutesOptions {
  /** Folder holding index.html and widget.js. */
  publicDir?: string;
  /** Web Chat's UMD bundle, served from node_modules so no CDN is needed. */
  webChatBundle?: string;
}

interface Asset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  type: string;
  cache: string;
}

export const WEBCHAT_PATH = '/webchat/webchat.js';
export const PAGE_KIT_PATH = '/shared/page-kit.js';
export const PAGE_KIT_STYLE_PATH = '/shared/page-kit.css';

/** GET / (the demo page), /widget.js (the embed script) and Web Chat's bundle. */
export function registerWebRoutes(server: Server, options: WebRoutesOptions = {}): void {
  const publicDir = options.publicDir ?? join(PROJECT_ROOT, 'src', 'web', 'public');
  const bundle = options.webChatBundle ?? webChatBundlePath();
  for (const file of [join(publicDir, 'index.html'), join(publicDir, 'widget.js'), join(publicDir, 'shared', 'page-kit.js'), join(publicDir, 'shared', 'page-kit.css'), bundle]) {
    if (!existsSync(file)) throw new Error(`web widget: missing ${file}`);
  }
  // Short cache for our own files (they change with deploys); a day for Web Chat's versioned bundle.
  const serve = (file: string, type: string, cache: string) => {
    let asset: Asset | undefined; // loaded on first use: the bundle is 4 MB
    return async (req: Request, res: Response): Promise<void> => {
      asset ??= load(file, type, cache);
      const headers: Record<string, string> = {
        'Content-Type': asset.type,
        'Cache-Control': asset.cache,
        ETag: asset.etag,
        'X-Content-Type-Options': 'nosniff',
        Vary: 'Accept-Encoding',
      };
      if (req.headers['if-none-match'] === asset.etag) return void res.sendRaw(304, '', headers);
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (gzip) headers['Content-Encoding'] = 'gzip';
      res.sendRaw(200, gzip ? asset.gzipped : asset.body, headers);
    };
  };
  server.get('/', serve(join(publicDir, 'index.html'), 'text/html; charset=utf-8', 'no-cache'));
  server.get('/widget.js', serve(join(publicDir, 'widget.js'), 'text/javascript; charset=utf-8', 'public, max-age=300'));
  server.get(WEBCHAT_PATH, serve(bundle, 'text/javascript; charset=utf-8', 'public, max-age=86400'));
  // What the agent console and the insights dashboard share (elements as text only, the API call; the palette).
  server.get(PAGE_KIT_PATH, serve(join(publicDir, 'shared', 'page-kit.js'), 'text/javascript; charset=utf-8', 'no-cache'));
  server.get(PAGE_KIT_STYLE_PATH, serve(join(publicDir, 'shared', 'page-kit.css'), 'text/css; charset=utf-8', 'no-cache'));
}

function load(file: string, type: string, cache: string): Asset {
  const body = readFileSync(file);
  return { body, gzipped: gzipSync(body), etag: `"${createHash('sha1').update(body).digest('base64url')}"`, type, cache };
}

function webChatBundlePath(): string {
  // The package's exports hide package.json; its CommonJS entry sits in lib/, the UMD bundle in dist/.
  return join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}
