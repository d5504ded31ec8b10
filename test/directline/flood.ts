import { readdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent, fetch } from 'undici';

/** What a flood of conversation starts got back. */
export interface FloodResult {
  sent: number;
  /** Conversation ids answered 201. */
  accepted: string[];
  /** 429s, and how many of them lacked a whole-seconds Retry-After. */
  busy: number;
  busyWithoutRetryAfter: number;
  /** Any other status, by status. */
  other: Map<number, number>;
}

/**
 * Starts `count` conversations as fast as the client allows, the way many
 * visitors would: all requests at once over `connections` sockets.
 */
export async function floodConversationStarts(domain: string, secret: string, count: number, connections: number): Promise<FloodResult> {
  const agent = new Agent({ connections });
  const result: FloodResult = { sent: count, accepted: [], busy: 0, busyWithoutRetryAfter: 0, other: new Map() };
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const response = await fetch(`${domain}/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}` },
          dispatcher: agent,
        });
        const body = (await response.json().catch(() => ({}))) as { conversationId?: string };
        if (response.status === 201 && body.conversationId) result.accepted.push(body.conversationId);
        else if (response.status === 429) {
          result.busy += 1;
          if (!/^\d+$/.test(response.headers.get('retry-after') ?? '')) result.busyWithoutRetryAfter += 1;
        } else result.other.set(response.status, (result.other.get(response.status) ?? 0) + 1);
      }),
    );
  } finally {
    await agent.close();
  }
  return result;
}

/** The bot's replies as the connector route answered them, per conversation: what reached a log and what was lost. */
export function watchBotReplies(server: Server): { delivered: Set<string>; refused: Map<string, number>; stop: () => void } {
  const delivered = new Set<string>();
  const refused = new Map<string, number>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const id = /^\/directline-connector\/[^/]+\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1];
    if (!id) return;
    res.once('finish', () => (res.statusCode < 300 ? delivered.add(id) : refused.set(id, res.statusCode)));
  };
  server.on('request', onRequest);
  return { delivered, refused, stop: () => server.off('request', onRequest) };
}

/** Samples this process's open file descriptors and resident memory until stopped; returns the peaks. */
export function samplePeaks(everyMs = 10): { stop: () => { fds: number; rssBytes: number } } {
  let fds = 0;
  let rssBytes = 0;
  const sample = () => {
    fds = Math.max(fds, readdirSync('/proc/self/fd').length);
    rssBytes = Math.max(rssBytes, process.memoryUsage.rss());
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { fds, rssBytes };
    },
  };
}

export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}
