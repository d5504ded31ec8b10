/**
 * The built-in Direct Line across a restart mid-hand-off: Web Chat
 * reconnects by itself, and the agent's next line reaches the user before
 * the user has written again (the stored conversation reference still
 * points at the built-in connector).
 */
import { fill } from '../../src/dialogs/text';
import type { HandoffView } from '../../src/handoff/types';
import { pageToken, startApp, waitFor } from '../directline/harness';
import type { Running } from '../directline/harness';
import { endClients, fromBot, isNotice, say, textOf, welcomed } from '../directline/web-chat-client';
import { messagesText, removeTempDirs, tempDir } from '../integration/harness';
import { AgentClient } from './agent-client';
import { ALEX, PASSWORD } from './support';

const text = messagesText();
const apps: Running[] = [];
afterAll(async () => {
  endClients();
  for (const app of apps) await app.close();
  removeTempDirs();
});

test('a Web Chat user held by an agent gets the agent’s next line after the bot restarts', async () => {
  const dataDir = tempDir('dl-handoff-restart-');
  const env = { AGENT_ACCOUNTS: ALEX, DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '1000' };
  const first = await startApp(env, { dataDir });
  apps.push(first);
  const user = await welcomed(await pageToken(first.url), { webSocket: true, random: () => 0, timeout: 3_000 });
  await say(user, 'talk to a person');
  await say(user, 'yes');
  const agent = new AgentClient(first.url);
  await agent.signIn('Alex', PASSWORD);
  const [request] = (await agent.call('GET', '/agent/api/queue')).body.waiting as HandoffView[];
  await agent.call('POST', `/agent/api/handoffs/${request!.id}/accept`);
  await waitFor('joined', () => fromBot(user).find((a) => textOf(a) === fill(text.handoff_joined!, { agent: 'Alex' })));

  await first.close();
  const second = await startApp({ ...env, PORT: new URL(first.url).port }, { dataDir });
  apps.push(second);
  await waitFor('the reconnect', () => user.seen.find(isNotice), 40_000);

  expect((await agent.call('POST', `/agent/api/handoffs/${request!.id}/messages`, { text: 'Sorry, we had a blip. Still there?' })).status).toBe(204);
  await waitFor('the agent line after the restart', () => fromBot(user).find((a) => textOf(a) === 'Sorry, we had a blip. Still there?'));
  agent.close();
  expect([...first.errors, ...second.errors]).toEqual([]);
}, 60_000);
