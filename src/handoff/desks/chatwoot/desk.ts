import { fill } from '../../../dialogs/text';
import type { Logger } from '../../../log';
import type { AgentDesk, DeskLink, HandoffRequest, HandoffStatusValue } from '../../desk';
import type { HandoffRecord, HandoffStore } from '../../handoff-store';
import { OPEN_STATES } from '../../handoff-store';
import type { TranscriptLine } from '../../types';
import { RECENT_HANDOFFS, estimateWaitSeconds } from '../../wait-estimate';
import { summaryText } from '../summary-text';
import type { SummaryLabels } from '../summary-text';
import type { ChatwootClient } from './client';
import { ChatwootError } from './client';
import type { ChatwootOutbox, OutboxItem } from './outbox';

export type ChatwootDeskText = SummaryLabels & Readonly<{ agent_user_gone: string }>;

export interface ChatwootDeskOptions {
  client: ChatwootClient;
  outbox: ChatwootOutbox;
  store: HandoffStore;
  inboxId: number;
  teamId?: number;
  labels: readonly string[];
  text: ChatwootDeskText;
  log: Logger;
  /** How often undelivered lines are tried again (while their hand-off is open or holds a left message). */
  retryEveryMs?: number;
}

/** After this many failed tries an item stays stored (with the hand-off) but is no longer tried. */
const MAX_ATTEMPTS = 50;
/** How long a delivery waits while another instance is delivering the same hand-off's items. */
const HOLD_WAIT_MS = 15_000;

/**
 * Chatwoot as the agent desk. A hand-off becomes a Chatwoot conversation in
 * an API-channel inbox (contact identified by the bot's channel and
 * conversation, the contact inbox's `source_id` = the bot's conversation id),
 * with the summary and transcript as a private note; what the user writes
 * then arrives as incoming messages. Chatwoot's webhook comes back through
 * `handleWebhook`: an agent's public reply goes to the user (the first one,
 * or an assignment, means `accepted`), typing is shown, and a resolved
 * conversation gives the user back to the bot (`completed`).
 *
 * Everything bound for Chatwoot goes through a stored outbox first: when
 * Chatwoot cannot be reached the user is told no one is available (and may
 * leave a message), and the lines wait in the outbox until it can.
 */
export class ChatwootDesk implements AgentDesk {
  readonly name = 'chatwoot';
  private link?: DeskLink;
  private timer?: NodeJS.Timeout;
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Set by close(): the bot's database closes right after, so work still in flight must not touch it. */
  private closed = false;

  constructor(private readonly options: ChatwootDeskOptions) {
    for (const key of ['client', 'outbox', 'store', 'text', 'log'] as const) {
      if (!options[key]) throw new Error(`ChatwootDesk needs "${key}"`);
    }
    if (!(options.inboxId > 0)) throw new Error('ChatwootDesk needs "inboxId"');
  }

  connect(link: DeskLink): void {
    this.link = link;
    this.timer = setInterval(() => {
      this.retryPending().catch((error: unknown) => this.options.log.error('retrying deliveries to Chatwoot failed', { error: String((error as Error)?.stack ?? error) }));
    }, this.options.retryEveryMs ?? 30_000);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Resolves when everything started so far (deliveries to Chatwoot, webhook events) has finished: for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  // --- AgentDesk: the bot's side ---

  async initiate(request: HandoffRequest): Promise<void> {
    const { outbox, text } = this.options;
    await outbox.add(request.handoffId, 'open', JSON.stringify(request));
    await outbox.add(request.handoffId, 'note', summaryText(request.summary, text, request.transcript));
    await this.flush(request.handoffId);
    if ((await outbox.link(request.handoffId)).conversationId === undefined) {
      // Not even the conversation could be made: the user hears no one is available now; the lines stay in the outbox.
      await this.tell({ state: 'failed', handoffId: request.handoffId, reason: 'no_agents' });
      return;
    }
    await this.tellPositions();
  }

  async fromUser(handoffId: string, line: TranscriptLine): Promise<void> {
    if (!line.text) return;
    await this.options.outbox.add(handoffId, 'incoming', line.text);
    this.later(handoffId);
  }

  /** Chatwoot's Application API has no "contact is typing" for an API inbox: nothing to do. */
  async userTyping(): Promise<void> {}

  async userLeft(handoffId: string): Promise<void> {
    const record = await this.options.store.get(handoffId);
    await this.options.outbox.add(handoffId, 'note', fill(this.options.text.agent_user_gone, { name: record?.userName ?? '' }));
    await this.options.outbox.add(handoffId, 'resolve', '');
    this.later(handoffId);
    await this.tellPositions();
  }

  async messageLeft(handoffId: string, text: string): Promise<void> {
    if (!text) return;
    await this.options.outbox.add(handoffId, 'incoming', text);
    this.later(handoffId);
  }

  // --- Chatwoot's side (the webhook route calls this with a verified, parsed body) ---

  /** Applies one webhook event; events about conversations this desk did not open, or no longer open, are ignored. */
  async handleWebhook(body: unknown): Promise<void> {
    if (!isObject(body) || typeof body.event !== 'string') return;
    const conversation = body.event.startsWith('message_') || body.event.startsWith('conversation_typing') ? body.conversation : body;
    const conversationId = isObject(conversation) ? wholeNumber(conversation.id) : undefined;
    const handoffId = conversationId === undefined ? undefined : await this.options.outbox.handoffFor(conversationId);
    if (!handoffId) return;
    await this.serial(`in:${handoffId}`, () => this.apply(handoffId, body.event as string, body as Record<string, unknown>, conversation as Record<string, unknown>));
  }

  private async apply(handoffId: string, event: string, body: Record<string, unknown>, conversation: Record<string, unknown>): Promise<void> {
    const record = await this.options.store.get(handoffId);
    if (!record || !OPEN_STATES.includes(record.state)) return;
    switch (event) {
      case 'message_created': {
        // Our own posts are incoming messages and private notes; a public outgoing one is an agent's reply.
        if (body.private === true || !(body.message_type === 'outgoing' || body.message_type === 1)) return;
        const content = typeof body.content === 'string' ? body.content.trim() : '';
        const id = wholeNumber(body.id);
        if (!content || (id !== undefined && !(await this.options.outbox.firstSight(id)))) return;
        const agentName = nameOf(body.sender) || assigneeOf(conversation) || nameOf(body.inbox) || 'Chatwoot';
        if (record.state === 'waiting') await this.accept(record, agentName);
        await this.linked().toUser(handoffId, content, (await this.options.store.get(handoffId))?.agentName || agentName);
        return;
      }
      case 'conversation_typing_on': {
        const user = isObject(body.user) ? body.user : {};
        if (body.is_private === true || user.type === 'contact' || record.state !== 'active') return;
        await this.linked().typingToUser(handoffId);
        return;
      }
      case 'conversation_created':
      case 'conversation_updated':
      case 'conversation_status_changed': {
        if (conversation.status === 'resolved') {
          if (record.state === 'active') await this.tell({ state: 'completed', handoffId });
          else await this.tell({ state: 'failed', handoffId, reason: 'no_agents' });
          await this.tellPositions();
          return;
        }
        const assignee = assigneeOf(conversation);
        if (record.state === 'waiting' && assignee) await this.accept(record, assignee);
        return;
      }
    }
  }

  private async accept(record: HandoffRecord, agentName: string): Promise<void> {
    await this.tell({ state: 'accepted', handoffId: record.id, agentName });
    await this.tellPositions();
  }

  // --- delivery to Chatwoot ---

  /** Tries everything undelivered whose hand-off still matters (open, or a message was left). */
  async retryPending(): Promise<void> {
    if (this.closed) return;
    for (const handoffId of await this.options.outbox.withPending()) {
      if (this.closed) return;
      const record = await this.options.store.get(handoffId);
      // Items another instance is delivering right now are left to it.
      if (record && (OPEN_STATES.includes(record.state) || record.leftMessage !== undefined)) await this.flush(handoffId, 0);
    }
  }

  /**
   * Delivers the hand-off's outbox in order, stopping at the first failure
   * (kept for later). True when all went. With several instances one at a
   * time delivers a hand-off's items (the outbox's hold, waited for up to
   * `waitMs`); it goes on until none are left, so lines added meanwhile by
   * another instance go too.
   */
  flush(handoffId: string, waitMs = HOLD_WAIT_MS): Promise<boolean> {
    return this.serial(`out:${handoffId}`, async () => {
      if (this.closed) return false;
      const release = await this.options.outbox.hold(handoffId, waitMs);
      if (!release) return false;
      try {
        for (let items = await this.options.outbox.pending(handoffId); items.length > 0; items = await this.options.outbox.pending(handoffId)) {
          for (const item of items) {
            if (!(await this.deliverOne(item))) return false;
          }
        }
        return true;
      } finally {
        await release().catch(() => undefined);
      }
    });
  }

  /** One item: true when it went (and left the outbox). */
  private async deliverOne(item: OutboxItem): Promise<boolean> {
    if (this.closed || item.attempts >= MAX_ATTEMPTS) return false;
    try {
      await this.deliver(item);
      // Delivered but the bot is closing: it stays in the outbox and goes again after the restart (at worst twice).
      if (this.closed) return false;
      await this.options.outbox.delivered(item);
      return true;
    } catch (error) {
      if (this.closed) return false;
      const message = String((error as Error)?.message ?? error);
      await this.options.outbox.failed(item, message);
      const passing = !(error instanceof ChatwootError) || error.passing;
      this.options.log[passing ? 'warn' : 'error']('could not deliver a hand-off to Chatwoot; kept to try again', { handoffId: item.handoffId, kind: item.kind, error: message });
      return false;
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { client, outbox } = this.options;
    if (item.kind === 'open') return this.open(JSON.parse(item.content) as HandoffRequest);
    const conversationId = (await outbox.link(item.handoffId)).conversationId;
    if (conversationId === undefined) throw new Error('no Chatwoot conversation yet');
    if (item.kind === 'incoming') await client.createMessage(conversationId, { content: item.content, message_type: 'incoming', private: false });
    else if (item.kind === 'note') await client.createMessage(conversationId, { content: item.content, message_type: 'outgoing', private: true });
    else await client.setStatus(conversationId, 'resolved');
  }

  /** Finds or makes the contact, its contact inbox (source_id = the bot's conversation) and the conversation. */
  private async open(request: HandoffRequest): Promise<void> {
    const { client, outbox, inboxId, teamId, labels, log } = this.options;
    const link = await outbox.link(request.handoffId);
    if (link.conversationId !== undefined) return;
    const identifier = `${request.channelId}:${request.conversationId}`;
    const sourceId = request.conversationId;
    let contactId = link.contactId;
    let hasInbox = false;
    if (contactId === undefined) {
      const found = (await client.searchContacts(identifier)).find((c) => c.identifier === identifier);
      contactId = found?.id ?? (await client.createContact({ inbox_id: inboxId, name: request.userName, identifier })).id;
      hasInbox = (found?.contact_inboxes ?? []).some((ci) => ci.source_id === sourceId);
      await outbox.setContact(request.handoffId, contactId);
    }
    if (!hasInbox) {
      try {
        await client.createContactInbox(contactId, { inbox_id: inboxId, source_id: sourceId });
      } catch (error) {
        // 422: this contact inbox exists already (an earlier hand-off of the same conversation).
        if (!(error instanceof ChatwootError && error.status === 422)) throw error;
      }
    }
    const conversation = await client.createConversation({
      source_id: sourceId,
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'open',
      ...(teamId ? { team_id: teamId } : {}),
      additional_attributes: { handoff_id: request.handoffId, channel: request.channelId },
    });
    await outbox.setConversation(request.handoffId, conversation.id);
    if (labels.length > 0) {
      await client.addLabels(conversation.id, [...labels]).catch((error: unknown) => log.warn('could not label the Chatwoot conversation', { handoffId: request.handoffId, error: String(error) }));
    }
  }

  // --- telling the user ---

  private async tell(status: HandoffStatusValue): Promise<void> {
    try {
      await this.linked().status(status);
    } catch (error) {
      this.options.log.warn('could not tell the user about their hand-off', { handoffId: status.handoffId, error: String((error as Error)?.message ?? error) });
    }
  }

  /** Chatwoot has no queue positions: the bot's own waiting hand-offs, oldest first, stand in for them. */
  private async tellPositions(): Promise<void> {
    const { store } = this.options;
    const recent = await store.recentWaits(RECENT_HANDOFFS);
    for (const [i, record] of (await store.waiting()).entries()) {
      const position = i + 1;
      if (record.toldPosition === position || (await this.options.outbox.link(record.id)).conversationId === undefined) continue;
      if (!(await store.claimToldPosition(record.id, position))) continue;
      await this.tell({ state: 'queued', handoffId: record.id, position, waitSeconds: estimateWaitSeconds(recent, position) });
    }
  }

  /** Delivers in the background: the user's turn does not wait for Chatwoot (the line is stored already). */
  private later(handoffId: string): void {
    this.flush(handoffId).catch((error: unknown) => this.options.log.error('delivering to Chatwoot failed', { handoffId, error: String((error as Error)?.stack ?? error) }));
  }

  private linked(): DeskLink {
    if (!this.link) throw new Error('ChatwootDesk: not connected');
    return this.link;
  }

  /** Runs `work` after the earlier work under the same key (one hand-off's deliveries, or its events, in order). */
  private serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function nameOf(value: unknown): string {
  if (!isObject(value)) return '';
  const name = typeof value.available_name === 'string' && value.available_name.trim() ? value.available_name : value.name;
  return typeof name === 'string' ? name.trim().slice(0, 100) : '';
}

function assigneeOf(conversation: unknown): string {
  return isObject(conversation) && isObject(conversation.meta) ? nameOf(conversation.meta.assignee) : '';
}
