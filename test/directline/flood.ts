import { readdirSync } from 'node:fs';
import { Agent, fetch } from 'undici';

/** What a flood of conversation starts got back. */
export interface FloodResult {
  sent: number;
  /** The conversations answered 201, with their tokens. */
  accepted: Array<{ conversationId: string; token: string }>;
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
        const body = (await response.json().catch(() => ({}))) as { conversationId?: string; token?: string };
        if (response.status === 201 && body.conversationId && body.token) result.accepted.push({ conversationId: body.conversationId, token: body.token });
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

/**
 * The accepted conversations whose log still has no message from the bot
 * after `timeoutMs`, read as their clients would (GET activities with each
 * conversation's token), `connections` at a time.
 */
export async function conversationsWithoutWelcome(
  domain: string,
  accepted: FloodResult['accepted'],
  { timeoutMs, connections }: { timeoutMs: number; connections: number },
): Promise<string[]> {
  const agent = new Agent({ connections });
  const hasBotMessage = async ({ conversationId, token }: { conversationId: string; token: string }) => {
    const response = await fetch(`${domain}/conversations/${encodeURIComponent(conversationId)}/activities`, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent });
    const body = (await response.json().catch(() => ({}))) as { activities?: Array<{ type?: string; from?: { role?: string } }> };
    return (body.activities ?? []).some((a) => a.type === 'message' && a.from?.role === 'bot');
  };
  let waiting = accepted;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const seen = await Promise.all(waiting.map(hasBotMessage));
      waiting = waiting.filter((_c, i) => !seen[i]);
      if (waiting.length === 0 || Date.now() > deadline) return waiting.map((c) => c.conversationId);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await agent.close();
  }
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
