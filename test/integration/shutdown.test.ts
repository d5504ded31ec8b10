import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, copyOfDialogs, messagesText, removeTempDirs } from './harness';
import { listeningUrl, useBuiltEntry } from '../support/built-entry';
import { startHoldingConnector } from '../support/holding-connector';
import type { HoldingConnector } from '../support/holding-connector';

/**
 * SIGTERM to the real process (node dist/src/index.js) while 20 turns are in
 * flight: each waits on a connector that holds the bot's first reply, so the
 * turns are mid-way when the signal lands, with no timing involved.
 */

const built = useBuiltEntry('shutdown-test');
const text = messagesText();
const TURNS = 20;

let connector: HoldingConnector;
beforeAll(async () => {
  connector = await startHoldingConnector();
});
afterAll(async () => {
  await connector?.close();
  removeTempDirs();
});

test(`SIGTERM during ${TURNS} turns in flight: every turn is answered, new connections are refused, exit code 0`, async () => {
  const child = spawn(process.execPath, [built.entry], {
    cwd: ROOT,
    env: built.env({ DIALOGS_DIR: copyOfDialogs(), LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const shuttingDown = new Promise<void>((resolve) => {
    const look = () => stderr.includes('"message":"shutting down"') && resolve();
    child.stderr.on('data', look);
  });
  let signalled = false;
  try {
    const url = await listeningUrl(child);
    const turns = Array.from({ length: TURNS }, (_, i) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `sigterm-${i}`,
          channelId: 'emulator',
          serviceUrl: connector.serviceUrl,
          conversation: { id: `sigterm-conversation-${i}` },
          from: { id: `user-${i}` },
          recipient: { id: 'bot' },
          text: 'hello',
        }),
      }).then(async (res) => ({ status: res.status, body: await res.text() })),
    );
    await connector.arrived(TURNS); // every turn has sent its first reply and waits for the channel

    child.kill('SIGTERM');
    signalled = true;
    await shuttingDown;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow(); // no longer accepting
    connector.release();

    const answers = await Promise.all(turns);
    expect(answers.map((a) => a.status)).toEqual(Array(TURNS).fill(200));
    for (let i = 0; i < TURNS; i++) expect(connector.texts(`sigterm-conversation-${i}`)).toEqual([text.greeting, text.menu_prompt]);
  } finally {
    if (!signalled) child.kill('SIGKILL'); // the test failed before the signal: don't leave the process behind
    connector.release();
  }
  expect(await exited).toBe(0);
  expect(stderr).toMatch(/"message":"shut down".*"drained":true/);
}, 60_000);

test('an uncaught exception during turns in flight: logged, the turns finish, then exit code 1', async () => {
  const child = spawn(process.execPath, ['-r', join(__dirname, '..', 'support', 'uncaught-on-sigusr2.js'), built.entry], {
    cwd: ROOT,
    env: built.env({ DIALOGS_DIR: copyOfDialogs(), LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const shuttingDown = new Promise<void>((resolve) => {
    const look = () => stderr.includes('"message":"shutting down"') && resolve();
    child.stderr.on('data', look);
  });
  const inFlight = 5;
  const holding = await startHoldingConnector();
  let thrown = false;
  try {
    const url = await listeningUrl(child);
    const turns = Array.from({ length: inFlight }, (_, i) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `uncaught-${i}`,
          channelId: 'emulator',
          serviceUrl: holding.serviceUrl,
          conversation: { id: `uncaught-conversation-${i}` },
          from: { id: `user-${i}` },
          recipient: { id: 'bot' },
          text: 'hello',
        }),
      }).then((res) => res.status),
    );
    await holding.arrived(inFlight);

    child.kill('SIGUSR2');
    thrown = true;
    await shuttingDown;
    holding.release();
    expect(await Promise.all(turns)).toEqual(Array(inFlight).fill(200));
  } finally {
    if (!thrown) child.kill('SIGKILL');
    holding.release();
    await holding.close();
  }
  expect(await exited).toBe(1);
  expect(stderr).toMatch(/"level":"error","message":"uncaught exception; shutting down after the turns in flight".*a bug nobody caught/);
  expect(stderr).toMatch(/"message":"shut down".*"reason":"uncaughtException".*"drained":true/);
}, 60_000);
