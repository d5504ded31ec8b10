import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { setUpDirectLine } from '../../src/channels/directline';
import type { DirectLine, DirectLineLimits } from '../../src/channels/directline';
import { loadConfig } from '../../src/config';
import type { Logger } from '../../src/log';
import { MAX_BODY_BYTES } from '../../src/server/create-server';
import { BUILTIN_SECRET, ROOT } from './harness';

export interface FrontEnd {
  url: string;
  directLine: DirectLine;
  /** What the Direct Line setup logged at warn and error level. */
  logged: Array<{ level: 'warn' | 'error'; message: string; fields?: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The built-in Direct Line with chosen limits on a server of its own, in
 * front of a bot elsewhere (the real app's /api/messages, or a stub): tiny
 * caps reach eviction and shutdown with a handful of conversations.
 */
export async function startFrontEnd(botEndpoint: string, limits: Partial<DirectLineLimits>): Promise<FrontEnd> {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));
  const logged: FrontEnd['logged'] = [];
  const quiet = () => undefined;
  const log: Logger = {
    debug: quiet,
    info: quiet,
    warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
    error: (message, fields) => logged.push({ level: 'error', message, fields }),
  };
  const config = loadConfig({ DIRECT_LINE_BUILTIN_SECRET: BUILTIN_SECRET, DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '1000' }, ROOT);
  const selfUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const directLine = setUpDirectLine(server, { config, log, selfUrl, limits, botEndpoint: () => botEndpoint });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: selfUrl(),
    directLine,
    logged,
    async close() {
      await directLine.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
