import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity, Attachment } from 'botbuilder-core';
import { parse as parseYaml } from 'yaml';
import { startBot } from '../support/running-bot';
import type { RunningBot } from '../support/running-bot';
import { LoopbackChannel } from '../../src/channels/loopback';

export const ROOT = join(__dirname, '..', '..');
export const BOT_ID = '28:6f1b9a7c-2d4e-4c1a-9b8e-3f0d5a6c7e21';
export const BOT_NAME = 'Backup Help';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TEAM_ID = '19:team-general@thread.tacv2';

/** The bot's fixed replies, as the YAML folds them. */
export const TEXT = (parseYaml(readFileSync(join(ROOT, 'dialogs', 'messages.yaml'), 'utf8')) as { text: Record<string, string> }).text;

export type TeamsBot = RunningBot;

/** The real app on a loopback port, spoken to by a channel that says it is msteams. */
export function startTeamsBot(env: Record<string, string> = {}): Promise<TeamsBot> {
  return startBot({ channelId: 'msteams', env });
}

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface Button {
  title: string;
  /** What pressing it sends: Action.Submit data, or an imBack's text. */
  data: unknown;
  kind: 'submit' | 'imBack';
}

export interface Turn {
  status: number;
  /** Everything the connector received for this turn, in order (messages and typing). */
  activities: Partial<Activity>[];
  messages: Partial<Activity>[];
  /** Texts of the messages and of their cards' text blocks, joined with newlines. */
  text: string;
  buttons: Button[];
}

/**
 * One Teams conversation as Teams shapes it: a personal chat, a group chat,
 * or a thread in a team channel (its id ends in `;messageid=<root post>`).
 */
export class TeamsConversation {
  readonly id: string;
  readonly user = { id: `29:${randomUUID()}`, name: 'Ada Lovelace', aadObjectId: randomUUID() };
  private seen = 0;

  constructor(
    readonly channel: LoopbackChannel,
    readonly type: ConversationType = 'personal',
  ) {
    const rootPost = String(Date.now() + Math.floor(Math.random() * 1e6));
    this.id =
      type === 'personal'
        ? `a:1${randomUUID().replace(/-/g, '')}`
        : type === 'groupChat'
          ? `19:${randomUUID().replace(/-/g, '')}@thread.v2`
          : `${TEAM_ID.replace('team-general', `channel-${randomUUID().slice(0, 8)}`)};messageid=${rootPost}`;
  }

  /** A Teams-shaped activity for this conversation. */
  activity(fields: Partial<Activity>): Partial<Activity> & { conversation: { id: string } } {
    const channelData: Record<string, unknown> = { tenant: { id: TENANT_ID } };
    if (this.type === 'channel') {
      channelData.team = { id: TEAM_ID, name: 'Support' };
      channelData.channel = { id: this.id.split(';')[0], name: 'Help desk' };
    }
    return {
      id: String(Date.now()) + String(Math.floor(Math.random() * 1000)).padStart(3, '0'),
      from: this.user,
      recipient: { id: BOT_ID, name: BOT_NAME },
      conversation: {
        id: this.id,
        conversationType: this.type,
        tenantId: TENANT_ID,
        isGroup: this.type !== 'personal',
        name: '',
      },
      channelData,
      locale: 'en-US',
      ...fields,
    } as Partial<Activity> & { conversation: { id: string } };
  }

  async post(fields: Partial<Activity>): Promise<Turn> {
    const res = await this.channel.send(this.activity(fields));
    return this.collect(res.status);
  }

  /** What Teams sends when the app is installed: the bot joins, and installationUpdate. */
  async install(): Promise<Turn[]> {
    return [
      await this.post({ type: 'conversationUpdate', membersAdded: [{ id: BOT_ID, name: BOT_NAME }] }),
      await this.post({ type: 'installationUpdate', action: 'add' }),
    ];
  }

  /** A typed message; `mention` puts the bot's @mention first, as Teams does. */
  async say(text: string, options: { mention?: boolean; id?: string } = {}): Promise<Turn> {
    const fields: Partial<Activity> = { type: 'message', text, textFormat: 'plain' };
    if (options.id) fields.id = options.id;
    if (options.mention) {
      const tag = `<at>${BOT_NAME}</at>`;
      fields.text = `${tag} ${text}`;
      fields.entities = [{ type: 'mention', text: tag, mentioned: { id: BOT_ID, name: BOT_NAME } }];
    }
    return this.post(fields);
  }

  /** Pressing a card button: Action.Submit sends its data with no text, imBack sends its text. */
  async press(button: Button, replyToId?: string): Promise<Turn> {
    if (button.kind === 'imBack') return this.say(String(button.data));
    return this.post({ type: 'message', value: button.data, replyToId });
  }

  collect(status: number): Turn {
    const all = this.channel.received(this.id);
    const activities = all.slice(this.seen);
    this.seen = all.length;
    const messages = activities.filter((a) => a.type === 'message');
    const text = messages
      .flatMap((m) => [m.text ?? '', ...(m.attachments ?? []).map(cardText)])
      .filter(Boolean)
      .join('\n');
    return { status, activities, messages, text, buttons: messages.flatMap((m) => (m.attachments ?? []).flatMap(cardButtons)) };
  }
}

function cardText(attachment: Attachment): string {
  const content = attachment.content as { text?: string; body?: Array<{ text?: string }> } | undefined;
  return [content?.text ?? '', ...(content?.body ?? []).map((b) => b.text ?? '')].filter(Boolean).join('\n');
}

function cardButtons(attachment: Attachment): Button[] {
  const content = attachment.content as {
    actions?: Array<{ title: string; data: unknown }>;
    buttons?: Array<{ title: string; value: unknown }>;
  };
  if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') {
    return (content.actions ?? []).map((a) => ({ title: a.title, data: a.data, kind: 'submit' as const }));
  }
  return (content.buttons ?? []).map((b) => ({ title: b.title, data: b.value, kind: 'imBack' as const }));
}

/** Waits until `check` holds (replies posted after the HTTP response, e.g. by a timer). */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
