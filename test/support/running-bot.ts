import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import type { App } from '../../src/app';
import { LoopbackChannel } from '../../src/channels/loopback';
import { loadConfig } from '../../src/config';
import type { Logger } from '../../src/log';
import type { SqliteStorage } from '../../src/storage';

const ROOT = join(__dirname, '..', '..');

export interface BotOptions {
  /** The channel the loopback channel says it is (default emulator, which has suggested actions). */
  channelId?: string;
  /** Kept after close when given (a restart test reuses it); otherwise a fresh one, removed on close. */
  dataDir?: string;
  dialogsDir?: string;
  statusUrl?: string;
  env?: Record<string, string>;
  /** The app's state store instead of a SQLite file in dataDir. */
  storage?: SqliteStorage;
}

export interface RunningBot {
  app: App;
  url: string;
  channel: LoopbackChannel;
  dataDir: string;
  /** Errors the app logged (a failed turn, a failed request). */
  errors: Array<{ message: string; fields?: Record<string, unknown> }>;
  /** Resolves once the HTTP server has received `count` POSTs to /api/messages in all. */
  messagesArrived(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app on a loopback port with a real channel in front of it: the
 * one way the integration, Teams and Direct Line tests start the bot.
 */
export async function startBot(options: BotOptions = {}): Promise<RunningBot> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bot-data-'));
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // Nothing listens here: without a fake status server, the status check reports "unknown".
    APPLE_STATUS_URL: options.statusUrl ?? 'http://127.0.0.1:9/status.js',
    LOG_LEVEL: 'silent',
    ...(options.dialogsDir ? { DIALOGS_DIR: options.dialogsDir } : {}),
    ...options.env,
  };
  const errors: RunningBot['errors'] = [];
  const quiet = () => undefined;
  const log: Logger = { debug: quiet, info: quiet, warn: quiet, error: (message, fields) => errors.push({ message, fields }) };
  const app = createApp(loadConfig(env, ROOT), { log, ...(options.storage ? { storage: options.storage } : {}) });
  const url = await app.listen();
  const channel = await LoopbackChannel.start({ botEndpoint: `${url}/api/messages`, channelId: options.channelId ?? 'emulator' });
  let arrivedCount = 0;
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  app.server.server.on('request', (req: IncomingMessage) => {
    if (req.method !== 'POST' || req.url !== '/api/messages') return;
    arrivedCount += 1;
    for (const w of waiting.filter((x) => x.count <= arrivedCount)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  let closed = false;
  return {
    app,
    url,
    channel,
    dataDir,
    errors,
    messagesArrived: (count) =>
      count <= arrivedCount ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve })),
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await channel.close();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
