import type { MenuItem } from '../../../content/types';
import type { BotCommand } from './manifest';

/**
 * The bot's compose-box commands: the welcome menu (so they are phrases the
 * bot understands) and "help". Pressing one sends its title as a message.
 */
export function menuCommands(menu: readonly MenuItem[]): BotCommand[] {
  return [
    ...menu.map(({ label }) => ({ title: label, description: `Troubleshoot: ${label}` })),
    { title: 'help', description: 'How this chat works' },
  ];
}
