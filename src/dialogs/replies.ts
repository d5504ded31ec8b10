import type { TurnContext } from 'botbuilder-core';
import type { Content, Link } from '../content/types';
import { messageWithButtons } from './choices';

/** Replies used from several places (welcome, routing, interruptions), written once. */
export class Replies {
  constructor(private readonly content: Content) {}

  async menu(context: TurnContext, text: string): Promise<void> {
    const { messages } = this.content;
    await context.sendActivity(text);
    await context.sendActivity(
      messageWithButtons(context.activity.channelId, messages.text.menu_prompt, messages.menu.map((m) => m.label)),
    );
  }

  async welcome(context: TurnContext): Promise<void> {
    await this.menu(context, this.content.messages.text.welcome);
  }

  /** Until hand-off exists, "talk to a human" says so plainly and gives the support contacts. */
  async human(context: TurnContext): Promise<void> {
    await context.sendActivity(`${this.content.messages.text.human}\n\n${linkList(this.content.escalation.links)}`);
  }

  /** The support contacts as a list of links. */
  supportLinks(): string {
    return linkList(this.content.escalation.links);
  }

  async escalation(context: TurnContext): Promise<void> {
    const { escalation } = this.content;
    await context.sendActivity(`${escalation.say}\n\n${linkList(escalation.links)}`);
    await context.sendActivity(escalation.after);
  }
}

function linkList(links: readonly Link[]): string {
  return links.map((l) => `- [${l.label}](${l.url})`).join('\n');
}
