/**
 * A restart of the bot in the middle of hand-offs: the queue, the hand-off an
 * agent holds and the agent's session are in the SQLite database, so after
 * the restart (same data folder, same address) everything carries on.
 */
import { fill } from '../../src/dialogs/text';
import type { HandoffDetail, HandoffView } from '../../src/handoff/types';
import { Conversation, messagesText, startBot, tempDir, removeTempDirs } from '../integration/harness';
import type { RunningBot } from '../integration/harness';
import { AgentClient, eventually } from './agent-client';
import { ALEX, PASSWORD, askForPerson, said, texts } from './support';

const text = messagesText();

describe('a restart mid-hand-off', () => {
  let first: RunningBot;
  let second: RunningBot | undefined;
  afterAll(async () => {
    await second?.close();
    await first.channel.close();
    removeTempDirs();
  });

  test('keeps the queue, the agent holding a conversation, and the agent signed in', async () => {
    const dataDir = tempDir('handoff-restart-');
    const env = { AGENT_ACCOUNTS: ALEX, DIRECT_LINE_BUILTIN_SECRET: 'restart-test-secret-0123456789abcdef0123456789' };
    first = await startBot({ dataDir, env });
    const [ann, ben] = [new Conversation(first.channel), new Conversation(first.channel)];
    await askForPerson(ann);
    await askForPerson(ben);
    await said(ben, 'number 2 in line');
    const agent = new AgentClient(first.url);
    await agent.signIn('Alex', PASSWORD);
    const [annRequest] = (await agent.call('GET', '/agent/api/queue')).body.waiting as HandoffView[];
    expect((await agent.call('POST', `/agent/api/handoffs/${annRequest!.id}/accept`)).status).toBe(200);
    await said(ann, fill(text.handoff_joined!, { agent: 'Alex' }));

    // The same address and data folder; the channel (and so the users' conversations) outlives the bot.
    await first.app.close();
    second = await startBot({ dataDir, env: { ...env, PORT: new URL(first.url).port } });

    expect((await agent.call('GET', '/agent/api/me')).body).toMatchObject({ agent: { name: 'Alex' } });
    const queue = (await agent.call('GET', '/agent/api/queue')).body as { waiting: HandoffView[]; mine: HandoffView[] };
    expect(queue.waiting.map((w) => [w.position, w.state])).toEqual([[1, 'waiting']]);
    expect(queue.mine.map((m) => m.id)).toEqual([annRequest!.id]);
    await said(ben, 'number 1 in line');

    // Ann and Alex carry on; the bot stays out of it.
    const before = texts(ann).length;
    await ann.say('are you still there?');
    await eventually('the line for the agent', async () => {
      const detail = (await agent.call('GET', `/agent/api/handoffs/${annRequest!.id}`)).body as unknown as HandoffDetail;
      return detail.transcript.some((l) => l.from === 'user' && l.text === 'are you still there?');
    });
    expect((await agent.call('POST', `/agent/api/handoffs/${annRequest!.id}/messages`, { text: 'Yes, still here.' })).status).toBe(204);
    await said(ann, 'Yes, still here.');
    expect(texts(ann).slice(before)).toEqual(['Yes, still here.']);

    // Ben, still waiting, is still in line.
    expect((await ben.say('hello?')).activities.at(-1)!.text).toBe(fill(text.handoff_still_waiting!, { position: 1 }));

    expect((await agent.call('POST', `/agent/api/handoffs/${annRequest!.id}/end`)).status).toBe(204);
    await said(ann, text.handoff_ask_solved!);
    expect((await ann.say('nope')).text).toContain(text.handoff_solved_no);
    expect(((await agent.call('GET', `/agent/api/handoffs/${annRequest!.id}`)).body as unknown as HandoffDetail).outcome).toBe('not solved');
    agent.close();
  }, 60_000);
});
