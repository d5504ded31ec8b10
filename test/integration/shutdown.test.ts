import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, copyOfDialogs, messagesText, oneMessage, removeTempDirs } from './harness';
import { listeningUrl, useBuiltEntry } from '../support/built-entry';
import { startHoldingConnector } from '../support/holding-connector';
import type { HoldingConnector } from '../support/holding-connector';

/**
 * The real process (node dist/src/index.js) stopping while turns are in
 * flight: each turn waits on a connector that holds the bot's first reply, so
 * the turns are mid-way when the signal or the fault lands, with no timing
 * involved.
 */

const built = useBuiltEntry('shutdown-test');
const text = messagesText();

afterAll(() => removeTempDirs());

/** The built bot in a child process, its log collected. */
function startProcess(nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, built.entry], {
    cwd: ROOT,
    env: built.env({ DIALOGS_DIR: copyOfDialogs(), LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return {
    child,
    log: () => stderr,
    exited: new Promise<number | null>((resolve) => child.on('close', resolve)),
    shuttingDown: new Promise<void>((resolve) => child.stderr.on('data', () => stderr.includes('"message":"shutting down"') && resolve())),
  };
}

/** `count` first messages of new conversations, each held mid-turn by the connector; `answered` gives their HTTP statuses. */
async function turnsInFlight(url: string, connector: HoldingConnector, count: number, name: string): Promise<{ answered: Promise<number[]> }> {
  const turns = Array.from({ length: count }, (_, i) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `${name}-${i}`,
        channelId: 'emulator',
        serviceUrl: connector.serviceUrl,
        conversation: { id: `${name}-conversation-${i}` },
        from: { id: `user-${i}` },
        recipient: { id: 'bot' },
        text: 'hello',
      }),
    }).then((res) => res.status),
  );
  await connector.arrived(count); // every turn has sent its first reply and waits for the channel
  return { answered: Promise.all(turns) };
}

test('SIGTERM during 20 turns in flight: every turn is answered, new connections are refused, exit code 0', async () => {
  const connector = await startHoldingConnector();
  const bot = startProcess();
  let signalled = false;
  try {
    const url = await listeningUrl(bot.child);
    const { answered } = await turnsInFlight(url, connector, 20, 'sigterm');

    bot.child.kill('SIGTERM');
    signalled = true;
    await bot.shuttingDown;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow(); // no longer accepting
    connector.release();

    expect(await answered).toEqual(Array(20).fill(200));
    for (let i = 0; i < 20; i++) expect(connector.texts(`sigterm-conversation-${i}`)).toEqual([oneMessage(text.greeting, text.menu_prompt)]);
  } finally {
    if (!signalled) bot.child.kill('SIGKILL'); // the test failed before the signal: don't leave the process behind
    connector.release();
    await connector.close();
  }
  expect(await bot.exited).toBe(0);
  expect(bot.log()).toMatch(/"message":"shut down".*"drained":true/);
}, 60_000);

test('an uncaught exception during turns in flight: logged, the turns finish, then exit code 1', async () => {
  const connector = await startHoldingConnector();
  // A preloaded test module throws, from nowhere anybody catches, when the process gets SIGUSR2.
  const bot = startProcess(['-r', join(__dirname, '..', 'support', 'uncaught-on-sigusr2.js')]);
  let thrown = false;
  try {
    const url = await listeningUrl(bot.child);
    const { answered } = await turnsInFlight(url, connector, 5, 'uncaught');

    bot.child.kill('SIGUSR2');
    thrown = true;
    await bot.shuttingDown;
    connector.release();
    expect(await answered).toEqual(Array(5).fill(200));
  } finally {
    if (!thrown) bot.child.kill('SIGKILL');
    connector.release();
    await connector.close();
  }
  expect(await bot.exited).toBe(1);
  expect(bot.log()).toMatch(/"level":"error","message":"uncaught exception; shutting down after the turns in flight".*a bug nobody caught/);
  expect(bot.log()).toMatch(/"message":"shut down".*"reason":"uncaughtException".*"drained":true/);
}, 60_000);
