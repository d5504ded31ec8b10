/**
 * A local stand-in for a Chatwoot installation, on a real HTTP server on
 * loopback: the Application API endpoints the desk uses, with the request
 * and response shapes of Chatwoot's published definition, and an agent's
 * side that sends signed webhooks to the bot the way Chatwoot does.
 *
 * Read from chatwoot/chatwoot, swagger/swagger.json (openapi 3.1.0, info.version
 * 1.1.0, commit 00bcb523da57ba03dee760e0ab072c75ddf265cc) and the
 * swagger/definitions and swagger/paths files it is built from:
 *   GET  /api/v1/accounts/{account_id}/contacts/search?q=      contactSearch → contacts_list_response {meta, payload: contact_list_item[]}
 *   POST /api/v1/accounts/{account_id}/contacts                contactCreate (contact_create_payload: inbox_id required, name, identifier)
 *        → extended_contact (contact + id, availability_status); Chatwoot's server (contacts/create.json.jbuilder)
 *          answers {payload: {contact, contact_inbox: {inbox, source_id}}} — `shape: 'server'` answers that instead
 *   POST /api/v1/accounts/{account_id}/contacts/{id}/contact_inboxes  contactInboxCreation {inbox_id required, source_id} → contact_inboxes {source_id, inbox}; 422 incorrect payload
 *   POST /api/v1/accounts/{account_id}/conversations           newConversation (conversation_create_payload: source_id required, inbox_id,
 *        contact_id, status open|resolved|pending, team_id, additional_attributes) → {id, account_id, inbox_id}
 *   POST /api/v1/accounts/{account_id}/conversations/{id}/messages  create-a-new-message-in-a-conversation
 *        (conversation_message_create_payload: content required, message_type outgoing|incoming, private) → generic_id + message
 *   POST /api/v1/accounts/{account_id}/conversations/{id}/labels    conversation-add-labels {labels} → conversation_labels {payload}
 *   POST /api/v1/accounts/{account_id}/conversations/{id}/toggle_status  {status} → {meta, payload: {success, current_status, conversation_id}}
 *   auth: userApiKey = header `api_access_token`; errors: bad_request_error.
 * Webhooks (not in the definition; from Chatwoot's source): app/listeners/webhook_listener.rb (message_created =
 * message.webhook_data + event; conversation_status_changed / conversation_updated = conversation.webhook_data + event +
 * changed_attributes; conversation_typing_on = {event, user, conversation, is_private}), signed per
 * spec/lib/webhooks/trigger_spec.rb: X-Chatwoot-Timestamp (Unix seconds), X-Chatwoot-Signature =
 * "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<body>"), X-Chatwoot-Delivery.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chatwootSignature } from '../../../src/handoff/desks/chatwoot/signature';

export interface StandInOptions {
  accountId: number;
  inboxId: number;
  apiToken: string;
  /** The bot's webhook URL and the inbox's secret. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** `definition`: contact create answers extended_contact as the definition says; `server`: as Chatwoot's server does. */
  shape?: 'definition' | 'server';
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number;
}

interface Contact {
  id: number;
  name: string;
  identifier: string | null;
  contactInboxes: Array<{ sourceId: string; inboxId: number }>;
}

export interface StandInMessage {
  id: number;
  content: string;
  messageType: 'incoming' | 'outgoing';
  private: boolean;
  senderType: 'Contact' | 'User';
}

export interface StandInConversation {
  id: number;
  inboxId: number;
  contactId: number;
  sourceId: string;
  status: 'open' | 'resolved' | 'pending';
  teamId?: number;
  assignee?: Agent;
  labels: string[];
  additionalAttributes: Record<string, unknown>;
  messages: StandInMessage[];
}

export interface Agent {
  id: number;
  name: string;
}

export type Outage = 'none' | 'http503' | 'refuse';

export class ChatwootStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly contacts: Contact[] = [];
  readonly conversations: StandInConversation[] = [];
  private outage: Outage = 'none';
  /** The next this-many API calls answer 503 (then it recovers). */
  private failures = 0;
  private nextId = 100;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: StandInOptions,
  ) {}

  static async start(options: StandInOptions): Promise<ChatwootStandIn> {
    let standIn: ChatwootStandIn | undefined;
    const server = createServer((req, res) => void standIn!.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn = new ChatwootStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('connection', (socket) => {
      standIn!.sockets.add(socket);
      socket.on('close', () => standIn!.sockets.delete(socket));
    });
    return standIn;
  }

  /** Where webhooks go (the bot's URL is known only once it runs). */
  setWebhook(url: string, secret: string): void {
    this.options.webhookUrl = url;
    this.options.webhookSecret = secret;
  }

  /** `http503`: every call answers 503; `refuse`: every connection is dropped without an answer; `none`: healthy. */
  setOutage(outage: Outage): void {
    this.outage = outage;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  apiCalls(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/api/v1/'));
  }

  conversationFor(sourceId: string): StandInConversation | undefined {
    return this.conversations.find((c) => c.sourceId === sourceId);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // --- the agent's side: what Chatwoot would send the bot ---

  /** An agent replies in the conversation (public, or a private note): message_created. */
  agentReply(conversation: StandInConversation, agent: Agent, content: string, options: { private?: boolean } = {}): Promise<number> {
    const message: StandInMessage = { id: this.id(), content, messageType: 'outgoing', private: options.private === true, senderType: 'User' };
    conversation.messages.push(message);
    return this.sendWebhook({
      ...this.messageWebhookData(conversation, message, agent),
      event: 'message_created',
    });
  }

  agentTyping(conversation: StandInConversation, agent: Agent, options: { private?: boolean } = {}): Promise<number> {
    return this.sendWebhook({ event: 'conversation_typing_on', user: userData(agent), conversation: this.conversationWebhookData(conversation), is_private: options.private === true });
  }

  assign(conversation: StandInConversation, agent: Agent): Promise<number> {
    const previous = conversation.assignee?.id ?? null;
    conversation.assignee = agent;
    return this.sendWebhook({
      ...this.conversationWebhookData(conversation),
      event: 'conversation_updated',
      changed_attributes: [{ assignee_id: { previous_value: previous, current_value: agent.id } }],
    });
  }

  resolve(conversation: StandInConversation): Promise<number> {
    conversation.status = 'resolved';
    return this.sendWebhook({ ...this.conversationWebhookData(conversation), event: 'conversation_status_changed', changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }] });
  }

  /** POSTs a webhook body as Chatwoot's Webhooks::Trigger does; `sign` overrides the headers for refusal tests. Answers the status. */
  async sendWebhook(payload: unknown, sign: { timestamp?: string; signature?: string; secret?: string; omit?: boolean; contentType?: string; rawBody?: string } = {}): Promise<number> {
    const { webhookUrl, webhookSecret } = this.options;
    if (!webhookUrl || !webhookSecret) throw new Error('stand-in: setWebhook first');
    const body = sign.rawBody ?? JSON.stringify(payload);
    const timestamp = sign.timestamp ?? String(Math.floor(Date.now() / 1000));
    const signature = sign.signature ?? chatwootSignature(sign.secret ?? webhookSecret, timestamp, body);
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': sign.contentType ?? 'application/json',
        accept: 'application/json',
        'x-chatwoot-delivery': randomUUID(),
        ...(sign.omit ? {} : { 'x-chatwoot-timestamp': timestamp, 'x-chatwoot-signature': signature }),
      },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  // --- the Application API ---

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0 };
    this.requests.push(record);
    if (this.outage === 'refuse') {
      req.socket.destroy();
      return;
    }
    const answer = (status: number, json?: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    if (this.outage === 'http503' || this.failures > 0) {
      if (this.failures > 0) this.failures -= 1;
      return answer(503, { error: 'Service Unavailable' });
    }
    if (req.headers.api_access_token !== this.options.apiToken) return answer(401, { errors: ['You need to sign in or sign up before continuing.'] });
    const prefix = `/api/v1/accounts/${this.options.accountId}`;
    if (!url.pathname.startsWith(`${prefix}/`)) return answer(404, bad('Resource could not be found'));
    const path = url.pathname.slice(prefix.length);
    const json = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const needsJson = req.method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/json');
    if (needsJson) return answer(415, bad('content type'));
    let m: RegExpMatchArray | null;
    if (req.method === 'GET' && path === '/contacts/search') return answer(200, this.search(url.searchParams.get('q') ?? ''));
    if (req.method === 'POST' && path === '/contacts') return this.createContact(json, answer);
    if (req.method === 'POST' && (m = path.match(/^\/contacts\/(\d+)\/contact_inboxes$/))) return this.createContactInbox(Number(m[1]), json, answer);
    if (req.method === 'POST' && path === '/conversations') return this.createConversation(json, answer);
    if ((m = path.match(/^\/conversations\/(\d+)\/(messages|labels|toggle_status)$/)) && req.method === 'POST') {
      const conversation = this.conversations.find((c) => c.id === Number(m![1]));
      if (!conversation) return answer(404, bad('Conversation not found'));
      if (m[2] === 'messages') return this.createMessage(conversation, json, answer);
      if (m[2] === 'labels') {
        if (!Array.isArray(json.labels) || !json.labels.every((l) => typeof l === 'string')) return answer(422, bad('labels'));
        conversation.labels = json.labels as string[];
        return answer(200, { payload: conversation.labels });
      }
      if (!['open', 'resolved', 'pending', 'snoozed'].includes(String(json.status))) return answer(422, bad('status'));
      conversation.status = json.status as StandInConversation['status'];
      return answer(200, { meta: {}, payload: { success: true, current_status: conversation.status, conversation_id: conversation.id } });
    }
    return answer(404, bad('Resource could not be found'));
  }

  private search(q: string) {
    const found = this.contacts.filter((c) => q !== '' && (c.name.includes(q) || (c.identifier ?? '').includes(q)));
    return { meta: { count: found.length, current_page: '1' }, payload: found.map((c) => this.contactListItem(c)) };
  }

  private createContact(json: Record<string, unknown>, answer: (status: number, body?: unknown) => void): void {
    if (typeof json.inbox_id !== 'number') return answer(400, bad('inbox_id is required'));
    if (typeof json.identifier === 'string' && this.contacts.some((c) => c.identifier === json.identifier)) return answer(422, bad('Identifier has already been taken'));
    const contact: Contact = { id: this.id(), name: typeof json.name === 'string' ? json.name : '', identifier: typeof json.identifier === 'string' ? json.identifier : null, contactInboxes: [] };
    // Chatwoot makes a contact inbox (with a random source_id) for the inbox the contact is created in.
    contact.contactInboxes.push({ sourceId: randomUUID(), inboxId: json.inbox_id });
    this.contacts.push(contact);
    if (this.options.shape === 'server') {
      return answer(200, { payload: { contact: this.contactListItem(contact), contact_inbox: { inbox: this.inboxData(), source_id: contact.contactInboxes[0]!.sourceId } } });
    }
    answer(200, { ...this.contactListItem(contact), id: contact.id, availability_status: 'offline' });
  }

  private createContactInbox(contactId: number, json: Record<string, unknown>, answer: (status: number, body?: unknown) => void): void {
    const contact = this.contacts.find((c) => c.id === contactId);
    if (!contact) return answer(404, bad('Contact not found'));
    if (typeof json.inbox_id !== 'number' || json.inbox_id !== this.options.inboxId) return answer(422, bad('Inbox is not valid'));
    const sourceId = typeof json.source_id === 'string' && json.source_id ? json.source_id : randomUUID();
    if (this.contacts.some((c) => c.contactInboxes.some((ci) => ci.inboxId === json.inbox_id && ci.sourceId === sourceId))) return answer(422, bad('Source has already been taken'));
    contact.contactInboxes.push({ sourceId, inboxId: json.inbox_id });
    answer(200, { source_id: sourceId, inbox: this.inboxData() });
  }

  private createConversation(json: Record<string, unknown>, answer: (status: number, body?: unknown) => void): void {
    if (typeof json.source_id !== 'string' || !json.source_id) return answer(422, bad('source_id is required'));
    const inboxId = typeof json.inbox_id === 'number' ? json.inbox_id : this.options.inboxId;
    const contact = this.contacts.find((c) => c.contactInboxes.some((ci) => ci.sourceId === json.source_id && ci.inboxId === inboxId));
    if (!contact || (json.contact_id !== undefined && json.contact_id !== contact.id)) return answer(422, bad('Contact inbox not found'));
    if (json.status !== undefined && !['open', 'resolved', 'pending'].includes(String(json.status))) return answer(422, bad('status'));
    const conversation: StandInConversation = {
      id: this.id(),
      inboxId,
      contactId: contact.id,
      sourceId: json.source_id,
      status: (json.status as StandInConversation['status']) ?? 'open',
      ...(typeof json.team_id === 'number' ? { teamId: json.team_id } : {}),
      labels: [],
      additionalAttributes: (json.additional_attributes as Record<string, unknown>) ?? {},
      messages: [],
    };
    this.conversations.push(conversation);
    answer(200, { id: conversation.id, account_id: this.options.accountId, inbox_id: inboxId });
  }

  private createMessage(conversation: StandInConversation, json: Record<string, unknown>, answer: (status: number, body?: unknown) => void): void {
    if (typeof json.content !== 'string' || !json.content) return answer(400, bad('content is required'));
    if (json.message_type !== undefined && json.message_type !== 'incoming' && json.message_type !== 'outgoing') return answer(422, bad('message_type'));
    if (json.private !== undefined && typeof json.private !== 'boolean') return answer(422, bad('private'));
    const messageType = (json.message_type as 'incoming' | 'outgoing' | undefined) ?? 'outgoing';
    const message: StandInMessage = { id: this.id(), content: json.content, messageType, private: json.private === true, senderType: messageType === 'incoming' ? 'Contact' : 'User' };
    conversation.messages.push(message);
    // An incoming message reopens a resolved conversation, as in Chatwoot.
    if (messageType === 'incoming' && conversation.status === 'resolved') conversation.status = 'open';
    answer(200, {
      id: message.id,
      content: message.content,
      account_id: this.options.accountId,
      inbox_id: conversation.inboxId,
      conversation_id: conversation.id,
      message_type: messageType === 'incoming' ? 0 : 1,
      created_at: Math.floor(Date.now() / 1000),
      private: message.private,
      status: 'sent',
      source_id: null,
      content_type: 'text',
      content_attributes: {},
      sender_type: message.senderType,
      sender_id: message.senderType === 'Contact' ? conversation.contactId : 1,
    });
  }

  // --- shapes ---

  private contactListItem(c: Contact) {
    return {
      additional_attributes: {},
      availability_status: 'offline',
      email: null,
      id: c.id,
      name: c.name,
      phone_number: null,
      blocked: false,
      identifier: c.identifier,
      thumbnail: '',
      custom_attributes: {},
      last_activity_at: null,
      created_at: Math.floor(Date.now() / 1000),
      contact_inboxes: c.contactInboxes.map((ci) => ({ source_id: ci.sourceId, inbox: this.inboxData() })),
    };
  }

  private inboxData() {
    return { id: this.options.inboxId, avatar_url: '', channel_id: 1, name: 'Bot hand-offs', channel_type: 'Channel::Api', provider: null };
  }

  private conversationWebhookData(c: StandInConversation) {
    const contact = this.contacts.find((x) => x.id === c.contactId);
    return {
      additional_attributes: c.additionalAttributes,
      can_reply: true,
      channel: 'Channel::Api',
      contact_inbox: { contact_id: c.contactId, inbox_id: c.inboxId, source_id: c.sourceId },
      id: c.id,
      inbox_id: c.inboxId,
      messages: [],
      labels: c.labels,
      meta: {
        sender: { id: c.contactId, name: contact?.name ?? '', type: 'contact' },
        assignee: c.assignee ? userData(c.assignee) : null,
        team: c.teamId ? { id: c.teamId, name: 'Support' } : null,
        hmac_verified: false,
      },
      status: c.status,
      custom_attributes: {},
      unread_count: 0,
      timestamp: Math.floor(Date.now() / 1000),
    };
  }

  private messageWebhookData(c: StandInConversation, message: StandInMessage, agent: Agent) {
    return {
      account: { id: this.options.accountId, name: 'Support' },
      additional_attributes: {},
      content_attributes: {},
      content_type: 'text',
      content: message.content,
      conversation: this.conversationWebhookData(c),
      created_at: new Date().toISOString(),
      id: message.id,
      inbox: { id: c.inboxId, name: 'Bot hand-offs' },
      message_type: message.messageType,
      private: message.private,
      sender: userData(agent),
      source_id: null,
    };
  }

  private id(): number {
    return this.nextId++;
  }
}

function userData(agent: Agent) {
  return { id: agent.id, name: agent.name, available_name: agent.name, avatar_url: '', type: 'user', availability_status: 'online', email: `${agent.name.toLowerCase()}@example.com` };
}

function bad(description: string) {
  return { description, errors: [{ message: description }] };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
