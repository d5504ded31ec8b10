import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { randomUUID } from 'node:crypto';
import type { Activity, CardAction } from 'botbuilder-core';
import { createApp } from '../app';
import { ConfigError, loadConfig } from '../config';
import { ContentError, ContentErrors } from '../content/yaml-file';
import { LoopbackChannel } from '../channels/loopback';
import { renderActivity } from './render';

/**
 * `npm run chat`: the real bot (same adapter, dialogs, storage) on a private
 * loopback port, with this terminal as the channel. Buttons are numbered and
 * can be answered by number or by typing.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = { ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'error' as const };
  const app = createApp(config);
  const url = await app.listen();
  const channel = await LoopbackChannel.start({ botEndpoint: `${url}/api/messages`, channelId: 'emulator' });

  let buttons: CardAction[] = [];
  channel.onActivity((activity) => {
    const shown = renderActivity(activity as Activity);
    if (shown.text) process.stdout.write(`\nbot> ${shown.text.replace(/\n/g, '\n     ')}\n`);
    if (shown.buttons.length > 0) {
      buttons = shown.buttons;
      shown.buttons.forEach((b, i) => process.stdout.write(`     [${i + 1}] ${b.title ?? b.value}\n`));
    }
  });

  let conversationId = `cli-${randomUUID()}`;
  process.stdout.write('Type your message. Numbers pick a button. /restart starts a new chat, /quit leaves.\n');
  // "talk to a person" queues this chat for an agent: they answer from the console in a browser.
  const signIn = app.oneOffAgentPassword ? ` (sign in as "agent", password ${app.oneOffAgentPassword})` : '';
  process.stdout.write(`Agents answer "talk to a person" at ${url}/agent${signIn}.\n`);
  await channel.startConversation(conversationId);

  const rl = createInterface({ input: process.stdin, output: process.stdout });
  rl.on('close', () => void shutdown());
  async function shutdown(): Promise<void> {
    await channel.close();
    await app.close();
    process.exit(0);
  }

  for (;;) {
    const line = (await rl.question('\nyou> ')).trim();
    if (line === '/quit' || line === '/exit') return shutdown();
    if (line === '/restart') {
      conversationId = `cli-${randomUUID()}`;
      buttons = [];
      await channel.startConversation(conversationId);
      continue;
    }
    if (!line) continue;
    const picked = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
    const text = picked ? String(picked.value) : line;
    buttons = [];
    const result = await channel.sendText(conversationId, text);
    if (result.status >= 400) process.stdout.write(`(the bot answered HTTP ${result.status}: ${result.body})\n`);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof ContentErrors || error instanceof ContentError;
  process.stderr.write(`Cannot start: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
