import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { MemoryStorage, TestAdapter } from 'botbuilder-core';
import type { Activity, Storage } from 'botbuilder-core';
import { buildBot } from '../../src/bot/build-bot';
import type { InsightsWiring } from '../../src/bot/build-bot';
import type { BotEvents } from '../../src/bot/bot-events';
import { loadDialogContent } from '../../src/content/load-dialogs';
import { loadNlu } from '../../src/content/load-intents';
import type { Content } from '../../src/content/types';
import { CHECK_SPECS, createChecks } from '../../src/dialogs';
import { dialogThresholds } from '../../src/dialogs/routing';
import type { StatusSource, StepChecks } from '../../src/dialogs';
import type { Nlu } from '../../src/nlu';
import type { ServiceStatus } from '../../src/status';

export const ROOT = join(__dirname, '..', '..');

let shared: { content: Content; nlu: Nlu } | undefined;

/** The real content and the real classifier, trained once per test file. */
export function realContent(): { content: Content; nlu: Nlu } {
  if (!shared) {
    const content = loadDialogContent(join(ROOT, 'dialogs'), CHECK_SPECS);
    shared = { content, nlu: loadNlu(join(ROOT, 'intents')) };
  }
  return shared;
}

export function checksWith(status: () => ServiceStatus): StepChecks {
  const source: StatusSource = { check: async () => status() };
  return createChecks(source);
}

export interface Turn {
  /** The text of every message the bot sent this turn, joined with newlines. */
  text: string;
  /** Labels of the buttons offered this turn (suggested actions or list). */
  buttons: string[];
  activities: Partial<Activity>[];
}

/**
 * Talks to the real bot (real content, classifier and dialogs) through
 * botbuilder's in-memory TestAdapter; one `say` is one turn.
 */
export class TestConversation {
  readonly adapter: TestAdapter;
  status: ServiceStatus = { state: 'available', checkedAt: 0 };

  readonly storage: Storage;

  constructor(options: { storage?: Storage; content?: Content; nlu?: Nlu; events?: BotEvents; insights?: InsightsWiring } = {}) {
    const real = realContent();
    this.storage = options.storage ?? new MemoryStorage();
    const { bot, middleware } = buildBot({
      content: options.content ?? real.content,
      checks: checksWith(() => this.status),
      nlu: options.nlu ?? real.nlu,
      thresholds: dialogThresholds(),
      storage: this.storage,
      events: options.events,
      ...(options.insights ? { insights: options.insights } : {}),
    });
    this.adapter = new TestAdapter((context) => bot.run(context), { channelId: 'webchat' } as Partial<Activity>);
    for (const m of middleware) this.adapter.use(m);
  }

  async say(text: string): Promise<Turn> {
    // Unique ids, as a real channel sends: TestAdapter numbers from 0 in every instance,
    // which the retry de-duplication would take for repeats across a "restart".
    await this.adapter.receiveActivity({ type: 'message', text, id: randomUUID() } as Partial<Activity>);
    return this.collect();
  }

  async join(): Promise<Turn> {
    const ref = this.adapter.conversation;
    await this.adapter.receiveActivity({
      type: 'conversationUpdate',
      membersAdded: [{ id: 'user', name: 'User' }, { id: ref.bot!.id, name: 'Bot' }],
    } as Partial<Activity>);
    return this.collect();
  }

  private collect(): Turn {
    const activities = this.adapter.activeQueue.splice(0).filter((a) => a.type === 'message');
    return {
      text: activities.map((a) => a.text ?? '').join('\n'),
      buttons: activities.flatMap((a) => (a.suggestedActions?.actions ?? []).map((b) => String(b.title ?? b.value))),
      activities,
    };
  }
}
