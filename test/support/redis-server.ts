import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** Closes test clients and waits until their sockets are gone (jest waits for open handles). */
export async function closeClients(clients: Redis[]): Promise<void> {
  await Promise.all(
    clients.splice(0).map(async (c) => {
      if (c.status === 'end') return;
      const ended = new Promise<void>((resolve) => c.once('end', () => resolve()));
      c.disconnect();
      await ended;
    }),
  );
}

export interface RunningRedis {
  url: string;
  port: number;
  /** Stops it (SIGTERM, then SIGKILL) and removes its folder. */
  stop(): Promise<void>;
  /** kill -9, for tests of an outage; `restart()` brings it back on the same port. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real `redis-server` (Debian's package) of the test's own, on a free
 * loopback port, no persistence; resolves once it answers PING.
 */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    // Wait for the port to accept (plain sockets: nothing left behind), then check that Redis answers.
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const probe = new Redis(port, '127.0.0.1');
    await probe.ping();
    await probe.quit();
  };
  const exited = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => exited('SIGKILL'),
    restart: launch,
    async stop() {
      const stopping = exited('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 3_000);
      await stopping;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestRedis {
  /** A client on the file's redis-server, closed after the file's tests. */
  client(): Redis;
  /** A key prefix no other test of the file uses (`label` + a number): an empty store without flushing the server. */
  freshPrefix(label?: string): string;
  /** The running server (for outage tests: kill, restart). */
  server(): RunningRedis;
}

/** A redis-server of the test file's own, started in beforeAll and stopped (with its clients) in afterAll. */
export function useTestRedis(): TestRedis {
  let running: RunningRedis | undefined;
  const clients: Redis[] = [];
  let n = 0;
  beforeAll(async () => {
    running = await startRedis();
  });
  afterAll(async () => {
    await closeClients(clients);
    await running?.stop();
  });
  const server = (): RunningRedis => {
    if (!running) throw new Error('the test redis-server is not running (beforeAll failed?)');
    return running;
  };
  return {
    server,
    client() {
      const redis = new Redis(server().url);
      clients.push(redis);
      return redis;
    },
    freshPrefix: (label = 't') => `${label}${++n}:`,
  };
}
