import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** A positive whole number given as `--name N` on the command line, or the fallback. */
export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return value;
}

/** A text given as `--name TEXT` on the command line, or undefined. */
export function textOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** Whether `--name` is on the command line. */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A child that says 'ready' over IPC once it listens. */
export function forkReady(file: string, args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

export async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/**
 * This bot as `npm start` runs it (dist/src/index.js) on a free loopback port, once /readyz answers;
 * `root` is another build's project folder (`--baseline`), this one by default.
 */
export async function startThisBot(env: Record<string, string>, nodeArgs: string[] = [], root = ROOT): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--disable-warning=DEP0111', join(root, 'dist', 'src', 'index.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', APPLE_STATUS_URL: 'http://127.0.0.1:9/unreachable', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`, child);
  return { url, child };
}

/** Stops children, last started first (a reply in flight must still find the connector), waiting for each. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * CPU seconds a process has used so far, user and system (Linux /proc; clock ticks of 1/100 s).
 * Per turn, it is a steadier figure than turns/s on a machine shared with other work.
 */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process now, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The q-quantile (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const COMPLAINT = 'my whatsapp backup to icloud is not working';

/**
 * The load every turns bench sends: `conversations` conversations alternating a complaint and
 * "yes", replies to `connector`. Pass one `counter` to several autocannon runs (several instances)
 * and consecutive turns of a conversation go to different ones.
 */
export function alternatingTurns(o: { conversations: number; run: string; connector: string }, counter = { n: 0 }): import('autocannon').Request[] {
  return [
    {
      setupRequest: (request) => {
        const i = counter.n++;
        const c = i % o.conversations;
        const activity = {
          type: 'message',
          id: `${o.run}-${i}`,
          timestamp: new Date().toISOString(),
          channelId: 'emulator',
          serviceUrl: o.connector,
          from: { id: `user-${c}`, name: 'User' },
          recipient: { id: 'bot', name: 'Bot' },
          conversation: { id: `${o.run}-conversation-${c}` },
          locale: 'en-US',
          text: Math.floor(i / o.conversations) % 2 === 0 ? COMPLAINT : 'yes',
        };
        return { ...request, body: JSON.stringify(activity) };
      },
    },
  ];
}
