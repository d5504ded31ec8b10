import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { BotCommand } from './manifest';

/**
 * The bot's compose-box commands: the welcome menu (from dialogs/messages.yaml,
 * so they are phrases the bot understands) and "help". Pressing one sends its
 * title as a message.
 */
export function menuCommands(dialogsDir: string): BotCommand[] {
  const messages = parse(readFileSync(join(dialogsDir, 'messages.yaml'), 'utf8')) as { menu?: Array<{ label?: unknown }> };
  const labels = (messages.menu ?? []).map((m) => m.label).filter((l): l is string => typeof l === 'string');
  return [
    ...labels.map((label) => ({ title: label, description: `Troubleshoot: ${label}` })),
    { title: 'help', description: 'How this chat works' },
  ];
}
