/** The service's choices about conversations it does not hold, and its welcome retries, without HTTP. */
import { createConversationStore } from '../../src/channels/directline/conversation-store';
import { memoryDirectLineStore } from '../../src/channels/directline/directline-store';
import { DirectLineService } from '../../src/channels/directline/directline-service';
import type { Caller } from '../../src/channels/directline/directline-service';
import { EXPIRY_NOTICE } from '../../src/channels/directline/expiry-notice';
import { createTokenSigner } from '../../src/channels/directline/token-signer';
import { createTurnQueue } from '../../src/channels/directline/turn-queue';
import type { ActivitySet, WireActivity } from '../../src/channels/directline/conversation-log';
import type { TurnQueue } from '../../src/channels/directline/turn-queue';

const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };

function service(postToBot: (activity: WireActivity) => Promise<void> = async () => undefined, maxConversations = 10) {
  const signer = createTokenSigner({ secret: 'unit-test-secret-0123456789abcdef0123456789', ttlSeconds: 600 });
  const store = createConversationStore({ maxConversations, maxActivities: 100, maxBytes: 64 * 1024, maxTotalBytes: 1024 * 1024 });
  const turns = createTurnQueue({ concurrency: 1, capacity: 4 });
  const dl = new DirectLineService({ signer, store: memoryDirectLineStore(store), turns, postToBot, serviceUrl: () => 'http://x', botId: 'bot', maxActivityBytes: 1024, log, welcomeRetryDelaysMs: [1, 1] });
  const caller = (conversationId: string): Promise<Caller> => {
    const { token } = signer.issue({ conversationId, userId: 'u' });
    return dl.authenticate(`Bearer ${token}`);
  };
  return { dl, store, turns, caller };
}

const notices = (set: ActivitySet) => set.activities.filter((a) => (a.channelData as { notice?: string } | undefined)?.notice === EXPIRY_NOTICE);

/** Until every queued turn has run. */
async function idle(turns: TurnQueue): Promise<void> {
  while (turns.stats().running + turns.stats().waiting > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

it('retries a failed welcome, and the bot gets it once it can take it', async () => {
  const posted: WireActivity[] = [];
  let failures = 2;
  const { dl, turns, caller } = service(async (activity) => {
    posted.push(activity);
    if (failures-- > 0) throw new Error('bot restarting');
  });
  await dl.startConversation(await caller('c'), 'http://x');
  await idle(turns);
  expect(posted.map((a) => a.type)).toEqual(['conversationUpdate', 'conversationUpdate', 'conversationUpdate']);
});

it('starts a conversation never seen (welcome, no notice), but re-creates a returning one with the notice and no welcome', async () => {
  const posted: WireActivity[] = [];
  const { dl, caller } = service(async (activity) => void posted.push(activity));
  expect(notices(await dl.activities(await caller('new'), 'new', undefined))).toHaveLength(0);
  // Polling with a watermark, reconnecting: the client had this conversation before (a restart lost it).
  const polled = await dl.activities(await caller('polled'), 'polled', '7');
  expect(notices(polled)).toHaveLength(1);
  expect(polled.activities[0]!.id).toBe('polled|0000008');
  await dl.reconnect(await caller('back'), 'back', undefined, 'http://x');
  expect(notices(await dl.activities(await caller('back'), 'back', undefined))).toHaveLength(1);
  await dl.close(10_000);
  expect(posted.map((a) => (a.conversation as { id: string }).id)).toEqual(['new']);
});

it('tells a client whose conversation was evicted, numbering on from where it was', async () => {
  const { dl, turns, caller } = service(async () => undefined, 1);
  await dl.startConversation(await caller('first'), 'http://x');
  await dl.postActivity(await caller('first'), 'first', { type: 'message', text: 'hello' });
  await dl.startConversation(await caller('second'), 'http://x'); // evicts "first" (its turns are over)
  await idle(turns); // "second" can't make way while its welcome is at the bot
  const back = await dl.activities(await caller('first'), 'first', undefined);
  expect(notices(back)).toHaveLength(1);
  expect(back.activities[0]!.id).toBe('first|0000001');
});

it('refuses a bot reply over the activity limit with 413, like a user activity', async () => {
  const { dl, caller } = service();
  await dl.startConversation(await caller('c'), 'http://x');
  await expect(dl.receiveFromBot('c', { type: 'message', text: 'x'.repeat(2000) })).rejects.toThrow(expect.objectContaining({ code: 'DL_TOO_LARGE', status: 413 }));
});
