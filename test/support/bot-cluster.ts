import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { listeningUrl, useBuiltEntry } from './built-entry';
import { startRedis } from './redis-server';
import type { RunningRedis } from './redis-server';

type Child = ChildProcessByStdio<null, null, Readable>;

export interface BotInstance {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Its messaging endpoint. */
  messages: string;
  /** Everything it has written to stderr (its JSON log lines). */
  log(): string;
}

export interface BotCluster {
  redis: RunningRedis;
  instances: BotInstance[];
  /** kill -9 instance `i` (no drain, no goodbye). */
  kill(i: number): Promise<void>;
  /** Starts instance `i` again (a new process, a new port) after a kill. */
  restart(i: number): Promise<BotInstance>;
}

export interface ClusterOptions {
  instances: number;
  /** Extra environment for every instance (e.g. AGENT_ACCOUNTS). */
  env?: Record<string, string>;
}

/**
 * Several real bot processes (the built `node dist/src/index.js`, each with
 * its own port and DATA_DIR) sharing one real redis-server of the test's own:
 * what `REDIS_URL` deployments run. Built and started in beforeAll, stopped
 * in afterAll; `cluster()` returns it inside tests.
 */
export function useBotCluster(name: string, options: ClusterOptions): () => BotCluster {
  const built = useBuiltEntry(name);
  let cluster: BotCluster | undefined;
  const children: Array<Child | undefined> = [];
  const logs: string[] = [];

  const launch = async (redisUrl: string, i: number): Promise<BotInstance> => {
    const env = built.env({ REDIS_URL: redisUrl, LOG_LEVEL: 'info', ...options.env });
    const child: Child = spawn(process.execPath, ['--disable-warning=DEP0111', built.entry], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children[i] = child;
    logs[i] = '';
    child.stderr.on('data', (chunk: Buffer) => (logs[i] += chunk.toString('utf8')));
    const url = await listeningUrl(child);
    return { url, messages: `${url}/api/messages`, log: () => logs[i] ?? '' };
  };
  const exited = (child: Child | undefined, signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });

  beforeAll(async () => {
    const redis = await startRedis();
    const instances = await Promise.all(Array.from({ length: options.instances }, (_, i) => launch(redis.url, i)));
    cluster = {
      redis,
      instances,
      kill: (i) => exited(children[i], 'SIGKILL'),
      async restart(i) {
        instances[i] = await launch(redis.url, i);
        return instances[i]!;
      },
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => exited(child, 'SIGTERM')));
    await cluster?.redis.stop();
  }, 30_000);

  return () => {
    if (!cluster) throw new Error('the bot cluster is not running (beforeAll failed?)');
    return cluster;
  };
}
