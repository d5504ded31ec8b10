import { connect } from 'node:net';
import { prng } from '../../src/nlu/prng';
import { fuzzCases } from './cases';
import type { FuzzCase, FuzzTargets } from './cases';
import { INTERNAL_TEXT, parseAnswer } from './raw-http';

export interface FuzzOptions {
  baseUrl: string;
  targets: FuzzTargets;
  seed: number;
  /** Cases to send at most. */
  count: number;
  /** Stop starting new cases after this long. */
  timeBudgetMs: number;
  /** Sockets open at once. */
  concurrency?: number;
  /** A socket the server neither answers nor closes is given up after this long (slow and never-ending bodies). */
  idleMs?: number;
  /** Called every ~500 cases (progress, RSS sampling). */
  onProgress?: (sent: number) => void;
}

export interface Finding {
  index: number;
  name: string;
  status?: number;
  excerpt: string;
}

export interface FuzzReport {
  sent: number;
  byStatus: Map<string, number>;
  /** Error answers by catalogue code (or "other" for a body that names none). */
  byCode: Map<string, number>;
  /** Answers with a 5xx status. */
  serverErrors: Finding[];
  /** Error answers carrying internal text (exception messages, stack frames, Node error codes). */
  leaks: Finding[];
  elapsedMs: number;
}

/** Only the start of an answer is kept: enough to read its status and error body (Web Chat's bundle is 4 MB). */
const KEEP_BYTES = 64 * 1024;

/** Sends one case on a fresh socket; resolves with whatever came back before the server closed (or we gave up). */
function exchange(host: string, port: number, c: FuzzCase, idleMs: number): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    let kept = 0;
    let idle = setTimeout(() => socket.destroy(), idleMs);
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.destroy(), idleMs);
    };
    socket.on('connect', () => {
      if (!c.slow) return void (c.keepOpen ? socket.write(c.bytes) : socket.end(c.bytes));
      // A slow client: the bytes in three pieces, a pause between them.
      const third = Math.ceil(c.bytes.length / 3);
      socket.write(c.bytes.subarray(0, third));
      setTimeout(() => {
        if (socket.destroyed) return;
        socket.write(c.bytes.subarray(third, 2 * third));
        setTimeout(() => !socket.destroyed && (c.keepOpen ? socket.write(c.bytes.subarray(2 * third)) : socket.end(c.bytes.subarray(2 * third))), 30);
      }, 30);
    });
    socket.on('data', (chunk: Buffer) => {
      touch();
      if (kept < KEEP_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      }
      // An accepted WebSocket stays open: its handshake answer is all we need.
      if (chunk.subarray(0, 12).toString('latin1') === 'HTTP/1.1 101') socket.destroy();
    });
    socket.on('error', () => undefined); // resets after (or instead of) an answer are the server's right
    socket.on('close', () => {
      clearTimeout(idle);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/**
 * Sends the seeded case stream to a running bot and sorts what comes back.
 * The caller judges the report (and watches the process: exits, memory, TMPDIR).
 */
export async function runFuzz({ baseUrl, targets, seed, count, timeBudgetMs, concurrency = 16, idleMs = 1500, onProgress }: FuzzOptions): Promise<FuzzReport> {
  const { hostname, port } = new URL(baseUrl);
  const host = hostname.replace(/^\[|\]$/g, '');
  const cases = fuzzCases(targets, prng(seed), count);
  const report: FuzzReport = { sent: 0, byStatus: new Map(), byCode: new Map(), serverErrors: [], leaks: [], elapsedMs: 0 };
  const started = Date.now();
  let index = 0;

  const worker = async () => {
    for (;;) {
      if (Date.now() - started > timeBudgetMs) return;
      const next = cases.next();
      if (next.done) return;
      const i = index++;
      const c = next.value;
      const answer = parseAnswer(await exchange(host, Number(port), c, idleMs));
      report.sent += 1;
      if (report.sent % 500 === 0) onProgress?.(report.sent);
      const key = answer.status === undefined ? 'no answer' : String(answer.status);
      report.byStatus.set(key, (report.byStatus.get(key) ?? 0) + 1);
      const excerpt = answer.body.slice(0, 300);
      if (answer.status !== undefined && answer.status >= 400) {
        const code = /^\{"error":\{"code":"([A-Z_]+)"/.exec(answer.body)?.[1] ?? 'other';
        report.byCode.set(code, (report.byCode.get(code) ?? 0) + 1);
      }
      if (answer.status !== undefined && answer.status >= 500) report.serverErrors.push({ index: i, name: c.name, status: answer.status, excerpt });
      if (answer.status !== undefined && answer.status >= 400 && INTERNAL_TEXT.test(answer.body)) report.leaks.push({ index: i, name: c.name, status: answer.status, excerpt });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.elapsedMs = Date.now() - started;
  return report;
}

/** The report as lines of text. */
export function describeReport(report: FuzzReport): string {
  const statuses = [...report.byStatus.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}: ${n}`);
  const lines = [
    `requests sent: ${report.sent} in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `answers by status: ${statuses.join(', ')}`,
    `error answers by code: ${[...report.byCode.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c}: ${n}`).join(', ')}`,
    `5xx answers: ${report.serverErrors.length}`,
    `error bodies with internal text: ${report.leaks.length}`,
  ];
  for (const f of [...report.serverErrors, ...report.leaks].slice(0, 20)) lines.push(`  #${f.index} ${f.name} → ${f.status}: ${f.excerpt.replace(/\s+/g, ' ')}`);
  return lines.join('\n');
}
