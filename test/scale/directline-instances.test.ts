/**
 * The built-in Direct Line on two real bot processes sharing one real
 * redis-server (REDIS_URL, no DIRECT_LINE_BUILTIN_SECRET): tokens good on
 * both, a Web Chat-style client whose WebSocket is on A while it posts to B,
 * the same log from either instance, and a Redis restart under it all.
 */
import { createHmac } from 'node:crypto';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { useBotCluster } from '../support/bot-cluster';
import { closeClients } from '../support/redis-server';
import { call, waitFor } from '../directline/harness';

jest.setTimeout(120_000);

const cluster = useBotCluster('directline-instances', { instances: 2, env: { APPLE_STATUS_TIMEOUT_MS: '200' } });
const probes: Redis[] = [];
const sockets: WebSocket[] = [];
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await closeClients(probes);
});

interface Activity {
  id: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
}

const PATH = '/v3/directline';
const seqOf = (a: Activity) => Number(a.id.split('|')[1]);

async function pageToken(url: string): Promise<{ token: string; conversationId: string; userId: string }> {
  const response = await fetch(`${url}/api/directline/token`, { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; conversationId: string; userId: string };
}

/** What Web Chat does, with its stream on one instance and its posts to another (a balancer may do that). */
interface Client {
  conversationId: string;
  token: string;
  userId: string;
  /** Every activity the socket delivered, in order (duplicates would stay visible). */
  seen: Activity[];
  socket: WebSocket;
}

async function connectOn(url: string): Promise<Client> {
  const issued = await pageToken(url);
  const started = await call('POST', `${url}${PATH}/conversations`, issued.token);
  expect(started.status).toBe(201);
  const seen: Activity[] = [];
  const socket = new WebSocket(started.body.streamUrl as string);
  sockets.push(socket);
  socket.on('message', (data) => seen.push(...(JSON.parse(data.toString()) as { activities: Activity[] }).activities));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { ...issued, seen, socket };
}

/** Posts a message to `url` (resolves once the bot has finished its turn there), retrying while Redis is away. */
async function say(client: Client, url: string, text: string): Promise<string> {
  const answer = await waitFor(`"${text}" accepted`, async () => {
    const posted = await call('POST', `${url}${PATH}/conversations/${client.conversationId}/activities`, client.token, { type: 'message', from: { id: client.userId }, text });
    return posted.status === 200 ? posted : (expect(posted.status).toBe(503), false);
  }, 30_000);
  return answer.body.id as string;
}

async function log(url: string, client: Client, watermark?: string): Promise<{ activities: Activity[]; watermark: string }> {
  const query = watermark === undefined ? '' : `?watermark=${watermark}`;
  const got = await call('GET', `${url}${PATH}/conversations/${client.conversationId}/activities${query}`, client.token);
  expect(got.status).toBe(200);
  return got.body as unknown as { activities: Activity[]; watermark: string };
}

/** The socket has caught up with the shared log, and holds exactly it: every activity once, in order. */
async function caughtUp(client: Client, url: string): Promise<Activity[]> {
  const { activities, watermark } = await log(url, client);
  await waitFor('the socket to catch up with the log', () => client.seen.length > 0 && seqOf(client.seen.at(-1)!) >= Number(watermark), 20_000);
  await new Promise((r) => setTimeout(r, 300)); // a duplicate arriving late would show now
  expect(client.seen.map((a) => a.id)).toEqual(activities.map((a) => a.id));
  expect(client.seen.map(seqOf)).toEqual(client.seen.map((_, i) => i));
  return activities;
}

/** The bot's messages after the user's message `id`. */
const answerTo = (seen: Activity[], id: string) => {
  const at = seen.findIndex((a) => a.id === id);
  expect(at).toBeGreaterThanOrEqual(0);
  return seen.slice(at + 1).filter((a) => a.from.role !== 'user' && a.type === 'message');
};

it('accepts on B a token issued by A, refreshes it on B, and the refreshed token works on A', async () => {
  const [a, b] = cluster().instances;
  const issued = await pageToken(a!.url);
  expect((await call('POST', `${b!.url}${PATH}/conversations`, issued.token)).status).toBe(201);
  const refreshed = await call('POST', `${b!.url}${PATH}/tokens/refresh`, issued.token);
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.conversationId).toBe(issued.conversationId);
  // The same conversation, not two: B started it, A reads its welcome.
  await waitFor('the welcome, read on A', async () => {
    const polled = await call('GET', `${a!.url}${PATH}/conversations/${issued.conversationId}/activities`, refreshed.body.token as string);
    expect(polled.status).toBe(200);
    return (polled.body.activities as Activity[]).some((x) => x.from.role === 'bot');
  }, 30_000);
  const forged = await call('GET', `${a!.url}${PATH}/conversations/${issued.conversationId}/activities`, `${issued.token}x`);
  expect(forged.status).toBe(401);
});

it('gives a client whose socket is on A every reply and proactive line made on B, once and in order; either instance answers the same log; a Redis restart loses nothing', async () => {
  const { instances, redis } = cluster();
  const [a, b] = instances;
  const client = await connectOn(a!.url);
  await waitFor('the welcome on the socket', () => client.seen.some((x) => x.from.role === 'bot'), 30_000);

  // A few steps of a fix, every message posted to B; the replies are made on B and pushed by A.
  const started = await say(client, b!.url, "whatsapp won't back up");
  const firstStep = answerTo(await caughtUp(client, a!.url), started);
  expect(firstStep.length).toBeGreaterThan(0);
  const done = await say(client, b!.url, 'done');
  const secondStep = answerTo(await caughtUp(client, a!.url), done);
  expect(secondStep.length).toBeGreaterThan(0);
  expect(secondStep.map((x) => x.text)).not.toEqual(firstStep.map((x) => x.text));

  // A proactive message (what a hand-off agent's line is) made on B, through the connector route the
  // bot replies to: its key comes from the secret the instances agreed on, so it is the same on both.
  const probe = new Redis(redis.url);
  probes.push(probe);
  const secret = (await probe.get('wabot:dl:secret'))!;
  const connectorKey = createHmac('sha256', secret).update('directline-connector').digest('hex').slice(0, 32);
  for (const [instance, text] of [[b!, 'An agent on B'], [a!, 'An agent on A']] as const) {
    const line = await call('POST', `${instance.url}/directline-connector/${connectorKey}/v3/conversations/${client.conversationId}/activities`, undefined, { type: 'message', text });
    expect(line.status).toBe(200);
  }
  expect((await caughtUp(client, a!.url)).slice(-2).map((x) => x.text)).toEqual(['An agent on B', 'An agent on A']);

  // Polling with a watermark: the same answer from either instance.
  const watermark = String(seqOf(client.seen.find((x) => x.id === started)!));
  const fromA = await log(a!.url, client, watermark);
  expect(fromA.activities.length).toBeGreaterThan(0);
  expect(await log(b!.url, client, watermark)).toEqual(fromA);

  // Redis restarts (with its data, as a persistent Redis does); meanwhile requests get a clear 503.
  await probe.save();
  await closeClients(probes);
  await redis.kill();
  const refused = await call('POST', `${b!.url}${PATH}/conversations/${client.conversationId}/activities`, client.token, { type: 'message', from: { id: client.userId }, text: 'done' });
  expect(refused.status).toBe(503);
  expect(refused.body.error).toMatchObject({ code: 'DL_STORE_UNAVAILABLE' });
  await redis.restart();
  // Right after the restart, while A's subscriber may still be reconnecting: the replies still reach A's socket.
  const again = await say(client, b!.url, 'done');
  const thirdStep = answerTo(await caughtUp(client, a!.url), again);
  expect(thirdStep.length).toBeGreaterThan(0);
  const last = await say(client, a!.url, 'done');
  expect(answerTo(await caughtUp(client, b!.url), last).length).toBeGreaterThan(0);
  expect(client.socket.readyState).toBe(WebSocket.OPEN);

  // Nothing crashed: both instances still answer.
  for (const instance of instances) expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
});
