import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Activity } from 'botbuilder-core';
import { hashPassword } from '../../src/handoff/agent-accounts';
import { Conversation } from '../integration/harness';
import { eventually } from './agent-client';

export const PASSWORD = 'correct horse battery staple';
export const ALEX = `Alex:agent:${hashPassword(PASSWORD)}`;
export const SAM = `Sam:admin:${hashPassword(PASSWORD)}`;

/** Every message text the bot sent a conversation so far (proactive ones included). */
export function texts(c: Conversation): string[] {
  return c.channel.received(c.id).filter((a) => a.type === 'message').map((a) => a.text ?? '');
}

/** Waits until the bot has said something containing `part` (proactive messages come after the turn). */
export function said(c: Conversation, part: string, timeoutMs = 10_000): Promise<string> {
  return eventually(`"${part}" said to ${c.id}\n${texts(c).join('\n')}`, () => texts(c).find((t) => t.includes(part)), timeoutMs);
}

/** The buttons of the last message that had some. */
export function lastButtons(c: Conversation): string[] {
  const withButtons = c.channel.received(c.id).filter((a: Partial<Activity>) => (a.suggestedActions?.actions?.length ?? 0) > 0);
  return (withButtons[withButtons.length - 1]?.suggestedActions?.actions ?? []).map((b) => String(b.title));
}

/** Joins and asks for a person, confirming with a typed answer. */
export async function askForPerson(c: Conversation, yes = 'yes please'): Promise<void> {
  await c.join();
  await c.say('talk to a person');
  await c.say(yes);
}

/** The audit log of the bot's database, read as an operator would. */
export function auditLog(dataDir: string): Array<{ handoff_id: string; event: string; actor: string; detail: string | null }> {
  const db = new Database(join(dataDir, 'state.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT handoff_id, event, actor, detail FROM handoff_audit ORDER BY seq').all() as Array<{ handoff_id: string; event: string; actor: string; detail: string | null }>;
  } finally {
    db.close();
  }
}
