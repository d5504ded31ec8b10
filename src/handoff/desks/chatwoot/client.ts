/**
 * The few calls of Chatwoot's Application API the desk makes, as its
 * published definition (swagger/swagger.json) states them: paths under
 * /api/v1/accounts/{account_id}, JSON bodies, the `api_access_token` header.
 * A call that fails for a reason that may pass (network, timeout, 429, 5xx)
 * is tried again with a growing pause; a 4xx other than 429 is final.
 */

export interface ChatwootClientOptions {
  url: string;
  accountId: number;
  apiToken: string;
  /** Tries per call (1 = no retry). */
  attempts?: number;
  /** The first pause between tries; doubles each time. */
  backoffMs?: number;
  /** Per try. */
  timeoutMs?: number;
}

/** A contact as the search and list endpoints return it (contact_list_item; the fields used). */
export interface ChatwootContact {
  id: number;
  name?: string;
  identifier?: string | null;
  contact_inboxes?: Array<{ source_id: string; inbox?: { id?: number } }>;
}

export interface NewConversation {
  source_id: string;
  inbox_id: number;
  contact_id: number;
  status: 'open' | 'pending';
  team_id?: number;
  additional_attributes?: Record<string, string>;
}

export interface NewMessage {
  content: string;
  message_type: 'incoming' | 'outgoing';
  private: boolean;
}

/** A Chatwoot call that did not succeed; `status` is absent when no answer came at all. */
export class ChatwootError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChatwootError';
  }

  /** Worth trying again later: Chatwoot unreachable, slow, overloaded or failing. */
  get passing(): boolean {
    return this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export class ChatwootClient {
  private readonly base: string;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ChatwootClientOptions) {
    if (!options.url) throw new Error('ChatwootClient needs "url"');
    if (!(options.accountId > 0)) throw new Error('ChatwootClient needs "accountId"');
    if (!options.apiToken) throw new Error('ChatwootClient needs "apiToken"');
    this.base = `${options.url.replace(/\/+$/, '')}/api/v1/accounts/${options.accountId}`;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** GET /contacts/search?q= — contacts_list_response `{ meta, payload: contact_list_item[] }`. */
  async searchContacts(q: string): Promise<ChatwootContact[]> {
    const body = await this.call<{ payload?: ChatwootContact[] }>('GET', `/contacts/search?q=${encodeURIComponent(q)}`);
    return Array.isArray(body?.payload) ? body.payload : [];
  }

  /**
   * POST /contacts (contact_create_payload). The definition answers
   * extended_contact (`id` at the top); Chatwoot's server answers
   * `{ payload: { contact, contact_inbox } }`: both are read.
   */
  async createContact(fields: { inbox_id: number; name: string; identifier: string }): Promise<{ id: number }> {
    const body = await this.call<{ id?: unknown; payload?: { contact?: { id?: unknown } } }>('POST', '/contacts', fields);
    const id = body?.payload?.contact?.id ?? body?.id;
    if (typeof id !== 'number') throw new ChatwootError('Chatwoot created a contact but sent no id', 200);
    return { id };
  }

  /** POST /contacts/{id}/contact_inboxes — `{ inbox_id, source_id }`. */
  async createContactInbox(contactId: number, fields: { inbox_id: number; source_id: string }): Promise<void> {
    await this.call('POST', `/contacts/${contactId}/contact_inboxes`, fields);
  }

  /** POST /conversations (conversation_create_payload) — answers `{ id, account_id, inbox_id }`. */
  async createConversation(fields: NewConversation): Promise<{ id: number }> {
    const body = await this.call<{ id?: unknown }>('POST', '/conversations', fields);
    if (typeof body?.id !== 'number') throw new ChatwootError('Chatwoot created a conversation but sent no id', 200);
    return { id: body.id };
  }

  /** POST /conversations/{id}/messages (conversation_message_create_payload). */
  async createMessage(conversationId: number, message: NewMessage): Promise<{ id: number }> {
    const body = await this.call<{ id?: unknown }>('POST', `/conversations/${conversationId}/messages`, message);
    return { id: typeof body?.id === 'number' ? body.id : 0 };
  }

  /** POST /conversations/{id}/labels — `{ labels }` (replaces the conversation's labels). */
  async addLabels(conversationId: number, labels: string[]): Promise<void> {
    await this.call('POST', `/conversations/${conversationId}/labels`, { labels });
  }

  /** POST /conversations/{id}/toggle_status — `{ status }`. */
  async setStatus(conversationId: number, status: 'open' | 'resolved' | 'pending'): Promise<void> {
    await this.call('POST', `/conversations/${conversationId}/toggle_status`, { status });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T | undefined> {
    let last: ChatwootError | undefined;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await pause(this.backoffMs * 2 ** (attempt - 2));
      try {
        return await this.once<T>(method, path, body);
      } catch (error) {
        last = error instanceof ChatwootError ? error : new ChatwootError(`Chatwoot ${method} ${routeOf(path)} failed`, undefined, { cause: error });
        if (!last.passing) break;
      }
    }
    throw last!;
  }

  private async once<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { api_access_token: this.options.apiToken, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ChatwootError(`Chatwoot ${method} ${routeOf(path)}: no answer`, undefined, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new ChatwootError(`Chatwoot ${method} ${routeOf(path)} answered ${response.status}`, response.status);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ChatwootError(`Chatwoot ${method} ${routeOf(path)} answered ${response.status} with a body that is not JSON`, response.status);
    }
  }
}

/** The path without its query (which may carry a user's name): for messages and logs. */
function routeOf(path: string): string {
  return path.split('?')[0]!;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
