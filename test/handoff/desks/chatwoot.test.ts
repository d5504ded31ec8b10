/**
 * HANDOFF_DESK=chatwoot end to end: the real bot over HTTP (loopback channel), the Chatwoot stand-in over HTTP
 * (chatwoot-stand-in.ts names the endpoints, fields and the Chatwoot version they follow), signed webhooks back.
 * Decided and tested here: a hand-off is `accepted` when the Chatwoot conversation gets an assignee or an agent's first
 * public reply arrives, whichever comes first; `completed` when the conversation is resolved.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fill } from '../../../src/dialogs/text';
import { Conversation, messagesText, removeTempDirs, startBot, tempDir } from '../../integration/harness';
import type { RunningBot } from '../../integration/harness';
import { eventually } from '../agent-client';
import { askForPerson, said, texts } from '../support';
import { ChatwootStandIn } from './chatwoot-stand-in';
import type { StandInConversation } from './chatwoot-stand-in';

const text = messagesText();
const TOKEN = 'agent-access-token';
const SECRET = 'inbox-webhook-secret';
const DANA = { id: 5, name: 'Dana' };
const queued1 = fill(text.handoff_queued!, { position: 1, wait: '' }).split(', usual wait')[0]!;

async function start(env: Record<string, string> = {}, given?: { chatwoot: ChatwootStandIn; dataDir: string }): Promise<{ bot: RunningBot; chatwoot: ChatwootStandIn }> {
  const chatwoot = given?.chatwoot ?? (await ChatwootStandIn.start({ accountId: 1, inboxId: 7, apiToken: TOKEN }));
  const bot = await startBot({
    ...(given ? { dataDir: given.dataDir } : {}),
    env: {
      HANDOFF_DESK: 'chatwoot',
      CHATWOOT_URL: chatwoot.url,
      CHATWOOT_ACCOUNT_ID: '1',
      CHATWOOT_INBOX_ID: '7',
      CHATWOOT_API_TOKEN: TOKEN,
      CHATWOOT_WEBHOOK_SECRET: SECRET,
      CHATWOOT_TEAM_ID: '2',
      CHATWOOT_LABELS: 'bot-handoff,icloud',
      CHATWOOT_RETRY_SECONDS: '1',
      ...env,
    },
  });
  chatwoot.setWebhook(`${bot.url}/api/handoff/chatwoot`, SECRET);
  return { bot, chatwoot };
}

const conversationOf = (chatwoot: ChatwootStandIn, user: Conversation) =>
  eventually(`a Chatwoot conversation for ${user.id}`, () => chatwoot.conversationFor(user.id));
const contents = (c: StandInConversation, type: 'incoming' | 'outgoing', isPrivate = false) =>
  c.messages.filter((m) => m.messageType === type && m.private === isPrivate).map((m) => m.content);

function outbox(bot: RunningBot): Array<{ kind: string; content: string }> {
  const db = new Database(join(bot.dataDir, 'state.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT kind, content FROM chatwoot_outbox ORDER BY seq').all() as Array<{ kind: string; content: string }>;
  } finally {
    db.close();
  }
}

describe('a hand-off to Chatwoot', () => {
  let bot: RunningBot;
  let chatwoot: ChatwootStandIn;
  beforeAll(async () => ({ bot, chatwoot } = await start()));
  afterAll(async () => {
    await bot.close();
    await chatwoot.close();
  });

  test('opens a conversation with the summary as a private note; the user and the agent talk both ways until it is resolved', async () => {
    const user = new Conversation(bot.channel);
    await user.join();
    await user.say('my whatsapp backup to icloud is stuck at 40%');
    await user.say('talk to a person');
    await user.say('yes please');
    await said(user, queued1);

    // The contact (identified by channel and conversation), its contact inbox (source_id = the bot's conversation), the conversation.
    const conversation = await conversationOf(chatwoot, user);
    const contact = chatwoot.contacts.find((c) => c.id === conversation.contactId)!;
    expect(contact.identifier).toBe(`emulator:${user.id}`);
    expect(contact.contactInboxes.some((ci) => ci.sourceId === user.id && ci.inboxId === 7)).toBe(true);
    expect(conversation).toMatchObject({ inboxId: 7, status: 'open', teamId: 2, labels: ['bot-handoff', 'icloud'] });
    expect(conversation.additionalAttributes).toMatchObject({ channel: 'emulator' });
    const note = await eventually('the private note', () => contents(conversation, 'outgoing', true)[0]);
    expect(note).toContain(`${text.agent_card_asked}: my whatsapp backup to icloud is stuck at 40%`);
    expect(note).toContain('user: talk to a person');
    expect(note).toMatch(/\] bot: /);
    const calls = chatwoot.apiCalls();
    expect(calls.every((r) => r.headers.api_access_token === TOKEN && (r.method === 'GET' || r.headers['content-type'] === 'application/json'))).toBe(true);

    // What the user writes while waiting arrives as an incoming message.
    await user.say('is anyone there?');
    await eventually('the waiting line in Chatwoot', () => contents(conversation, 'incoming').includes('is anyone there?'));

    // Typing before anyone took it is not shown; an assignment is the acceptance.
    expect(await chatwoot.agentTyping(conversation, DANA)).toBe(204);
    expect(await chatwoot.assign(conversation, DANA)).toBe(204);
    await said(user, fill(text.handoff_joined!, { agent: 'Dana' }));
    const typingBefore = bot.channel.received(user.id).filter((a) => a.type === 'typing').length;
    expect(await chatwoot.agentTyping(conversation, DANA)).toBe(204);
    await eventually('a typing indicator for the user', () => bot.channel.received(user.id).filter((a) => a.type === 'typing').length > typingBefore);

    // A private note stays in Chatwoot; a public reply reaches the user once, even if Chatwoot delivers it twice.
    expect(await chatwoot.agentReply(conversation, DANA, 'internal: check the quota first', { private: true })).toBe(204);
    expect(await chatwoot.agentReply(conversation, DANA, 'Hi, I can help. How full is your iCloud storage?')).toBe(204);
    await said(user, 'Hi, I can help. How full is your iCloud storage?');
    const reply = conversation.messages.at(-1)!;
    const again = { event: 'message_created', id: reply.id, content: reply.content, message_type: 'outgoing', private: false, sender: { id: 5, name: 'Dana', type: 'user' }, conversation: { id: conversation.id } };
    expect(await chatwoot.sendWebhook(again)).toBe(204);
    await user.say('it says 4.8 GB of 5 GB');
    await eventually('the reply in Chatwoot', () => contents(conversation, 'incoming').includes('it says 4.8 GB of 5 GB'));
    expect(texts(user).filter((t) => t === 'Hi, I can help. How full is your iCloud storage?')).toHaveLength(1);
    expect(texts(user).join('\n')).not.toContain('internal: check the quota first');

    // Resolved in Chatwoot: the user is back with the bot, which asks whether it is solved.
    expect(await chatwoot.resolve(conversation)).toBe(204);
    await said(user, fill(text.handoff_ended!, { agent: 'Dana' }));
    await said(user, text.handoff_ask_solved!);
    expect(outbox(bot)).toEqual([]);
  });

  test("an agent's first public reply is the acceptance when nobody assigned the conversation", async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued1);
    const conversation = await conversationOf(chatwoot, user);
    await chatwoot.agentReply(conversation, { id: 6, name: 'Eli' }, 'Hello from Eli');
    await said(user, fill(text.handoff_joined!, { agent: 'Eli' }));
    await said(user, 'Hello from Eli');
    const said1 = texts(user);
    expect(said1.indexOf(fill(text.handoff_joined!, { agent: 'Eli' }))).toBeLessThan(said1.indexOf('Hello from Eli'));
  });

  test('the user leaving the queue is noted in Chatwoot and the conversation resolved', async () => {
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued1);
    const conversation = await conversationOf(chatwoot, user);
    expect((await user.say('leave the queue')).text).toContain(text.handoff_left);
    await eventually('the conversation resolved', () => conversation.status === 'resolved');
    expect(contents(conversation, 'outgoing', true).at(-1)).toBe(fill(text.agent_user_gone!, { name: 'User' }));
    // A late reply from Chatwoot no longer reaches the user.
    await chatwoot.agentReply(conversation, DANA, 'too late');
    await user.say('hello');
    expect(texts(user)).not.toContain('too late');
  });
});

describe("Chatwoot's webhook route", () => {
  let bot: RunningBot;
  let chatwoot: ChatwootStandIn;
  let conversation: StandInConversation;
  let user: Conversation;
  beforeAll(async () => {
    ({ bot, chatwoot } = await start());
    user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued1);
    conversation = await conversationOf(chatwoot, user);
  });
  afterAll(async () => {
    await bot.close();
    await chatwoot.close();
  });
  const reply = (content: string) => ({ event: 'message_created', id: Date.now(), content, message_type: 'outgoing', private: false, sender: { id: 5, name: 'Mallory', type: 'user' }, conversation: { id: conversation.id } });

  test('refuses missing, stale, future and wrongly signed deliveries with 401 CHATWOOT_SIGNATURE_REJECTED, and applies none of them', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await chatwoot.sendWebhook(reply('forged 1'), { omit: true })).toBe(401);
    expect(await chatwoot.sendWebhook(reply('forged 2'), { timestamp: String(now - 330) })).toBe(401);
    expect(await chatwoot.sendWebhook(reply('forged 3'), { timestamp: String(now + 330) })).toBe(401);
    expect(await chatwoot.sendWebhook(reply('forged 4'), { secret: 'guessed' })).toBe(401);
    expect(await chatwoot.sendWebhook(reply('forged 5'), { signature: 'sha256=00' })).toBe(401);
    const res = await fetch(`${bot.url}/api/handoff/chatwoot`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-chatwoot-timestamp': String(now), 'x-chatwoot-signature': 'sha256=1' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'CHATWOOT_SIGNATURE_REJECTED' } });
    expect((await fetch(`${bot.url}/api/handoff/chatwoot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    // A fresh, correctly signed delivery goes through.
    expect(await chatwoot.sendWebhook(reply('signed and fresh'))).toBe(204);
    await said(user, 'signed and fresh');
    expect(texts(user).join('\n')).not.toMatch(/forged/);
  });

  test('answers malformed bodies with 4xx from the catalogue and keeps serving', async () => {
    expect(await chatwoot.sendWebhook(undefined, { rawBody: '{"event": "message_created", ' })).toBe(400);
    expect(await chatwoot.sendWebhook(undefined, { rawBody: 'event=message_created', contentType: 'application/x-www-form-urlencoded' })).toBe(415);
    expect(await chatwoot.sendWebhook(undefined, { rawBody: `{"content":"${'x'.repeat(300 * 1024)}"}` })).toBe(413);
    // Signed JSON that is not an event we know, or names no conversation of ours: accepted and ignored.
    for (const body of [[], 'text', { event: 42 }, { event: 'message_created', conversation: { id: 'x' } }, { event: 'message_created', conversation: { id: 999999 }, content: 'not ours', message_type: 'outgoing' }, { event: 'conversation_status_changed', id: -1, status: 'resolved' }]) {
      expect(await chatwoot.sendWebhook(body)).toBe(204);
    }
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.errors).toEqual([]);
  });
});

describe('when Chatwoot fails', () => {
  let bot: RunningBot;
  let chatwoot: ChatwootStandIn;
  beforeAll(async () => ({ bot, chatwoot } = await start()));
  afterAll(async () => {
    await bot.close();
    await chatwoot.close();
  });

  test('a failing call is tried again with backoff, and the hand-off goes through', async () => {
    chatwoot.failNext(2);
    const user = new Conversation(bot.channel);
    await askForPerson(user);
    await said(user, queued1);
    const statuses = chatwoot.apiCalls().map((r) => r.status);
    expect(statuses.slice(0, 3)).toEqual([503, 503, 200]);
    await conversationOf(chatwoot, user);
  });

  test('unreachable: the user is told no one is available and may leave a message; nothing is lost, and all of it reaches Chatwoot once it is back', async () => {
    chatwoot.setOutage('refuse');
    const user = new Conversation(bot.channel);
    await user.join();
    await user.say('my backup says not enough storage');
    await user.say('talk to a person');
    await user.say('yes please');
    await said(user, text.handoff_no_agents!.slice(0, 40));
    await said(user, text.handoff_leave_message!.slice(0, 40));
    const left = await user.say('Please email me, the backup has failed for a week');
    expect(left.text).toContain(text.handoff_message_saved);
    // Kept in the bot's database while Chatwoot is away.
    const kept = outbox(bot);
    expect(kept.map((k) => k.kind)).toEqual(['open', 'note', 'incoming']);
    expect(kept[2]!.content).toBe('Please email me, the backup has failed for a week');

    chatwoot.setOutage('none');
    const conversation = await conversationOf(chatwoot, user);
    await eventually('the left message in Chatwoot', () => contents(conversation, 'incoming').includes('Please email me, the backup has failed for a week'), 15_000);
    expect(contents(conversation, 'outgoing', true)[0]).toContain(`${text.agent_card_asked}: my backup says not enough storage`);
    await eventually('an empty outbox', () => outbox(bot).length === 0);
  });
});

describe('across a restart', () => {
  afterAll(() => removeTempDirs());

  test('lines kept while Chatwoot was down are delivered by the restarted bot', async () => {
    const dataDir = tempDir('chatwoot-restart-');
    const chatwoot = await ChatwootStandIn.start({ accountId: 1, inboxId: 7, apiToken: TOKEN });
    chatwoot.setOutage('refuse');
    const first = (await start({}, { chatwoot, dataDir })).bot;
    const user = new Conversation(first.channel);
    await askForPerson(user);
    await said(user, text.handoff_leave_message!.slice(0, 40));
    await user.say('My number is in my profile, please call');
    await first.close();
    expect(chatwoot.conversations).toEqual([]);

    chatwoot.setOutage('none');
    const second = (await start({}, { chatwoot, dataDir })).bot;
    try {
      const conversation = await conversationOf(chatwoot, user);
      await eventually('the left message in Chatwoot', () => contents(conversation, 'incoming').includes('My number is in my profile, please call'), 15_000);
      await eventually('an empty outbox', () => outbox(second).length === 0);
    } finally {
      await second.close();
      await chatwoot.close();
    }
  });
});
