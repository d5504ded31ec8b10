/**
 * An activity on the wire. Deliberately loose: botbuilder's `Activity` type
 * demands fields (conversation.isGroup, from.name) that real channels omit.
 */
export interface WireActivity {
  [field: string]: unknown;
  type?: string;
  id?: string;
}

/** An activity as Direct Line clients see it: it always has an id. */
export type ClientActivity = WireActivity & { id: string };

/** What the GET /activities route and the WebSocket stream send. */
export interface ActivitySet {
  activities: ClientActivity[];
  watermark: string;
}

export interface Conversation {
  readonly id: string;
  readonly userId: string;
}

export interface ConversationStoreOptions {
  /** Conversations kept; the least recently used is evicted beyond this. */
  maxConversations: number;
  /** Activities kept per conversation; the oldest are dropped beyond this (watermarks keep counting). */
  maxActivities: number;
}

interface Entry extends Conversation {
  seq: number;
  log: Array<{ seq: number; activity: ClientActivity }>;
  listeners: Set<Listener>;
}

/** Called with each new activity set, or with `null` when the conversation is evicted. */
export type Listener = (set: ActivitySet | null) => void;

export interface ConversationStore {
  create(id: string, userId: string): Conversation;
  get(id: string): Conversation | undefined;
  /** Gives the activity its Direct Line id (`<conversation>|<seq>`), logs it and tells listeners. */
  append(id: string, activity: WireActivity): ClientActivity;
  /** Activities after `watermark` (empty or unknown = from the start) and the new watermark. */
  after(id: string, watermark: string | undefined): ActivitySet;
  subscribe(id: string, listener: Listener): () => void;
  size(): number;
}

/**
 * In-memory conversation logs, capped in both directions so a flood of
 * visitors costs bounded memory. One process only: see the README for what
 * several instances would need (a shared log and pub/sub).
 */
export function createConversationStore({ maxConversations, maxActivities }: ConversationStoreOptions): ConversationStore {
  if (!Number.isInteger(maxConversations) || maxConversations < 1) throw new Error('createConversationStore needs maxConversations >= 1');
  if (!Number.isInteger(maxActivities) || maxActivities < 1) throw new Error('createConversationStore needs maxActivities >= 1');
  // Map iteration order is insertion order; re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, Entry>();

  const entry = (id: string): Entry => {
    const found = entries.get(id);
    if (!found) throw new Error(`unknown conversation ${id}`);
    entries.delete(id);
    entries.set(id, found);
    return found;
  };

  return {
    create(id, userId) {
      const existing = entries.get(id);
      if (existing) return existing;
      while (entries.size >= maxConversations) {
        const [oldestId, oldest] = entries.entries().next().value as [string, Entry];
        entries.delete(oldestId);
        for (const listener of oldest.listeners) listener(null);
      }
      const created: Entry = { id, userId, seq: -1, log: [], listeners: new Set() };
      entries.set(id, created);
      return created;
    },
    get(id) {
      return entries.has(id) ? entry(id) : undefined;
    },
    append(id, activity) {
      const e = entry(id);
      e.seq += 1;
      const stored = { ...activity, id: `${id}|${String(e.seq).padStart(7, '0')}` } as ClientActivity;
      e.log.push({ seq: e.seq, activity: stored });
      if (e.log.length > maxActivities) e.log.splice(0, e.log.length - maxActivities);
      const set = { activities: [stored], watermark: String(e.seq) };
      for (const listener of e.listeners) listener(set);
      return stored;
    },
    after(id, watermark) {
      const e = entry(id);
      const from = /^\d+$/.test(watermark ?? '') ? Number(watermark) : -1;
      return { activities: e.log.filter((l) => l.seq > from).map((l) => l.activity), watermark: Math.max(e.seq, from) < 0 ? '' : String(Math.max(e.seq, from)) };
    },
    subscribe(id, listener) {
      const e = entry(id);
      e.listeners.add(listener);
      return () => e.listeners.delete(listener);
    },
    size() {
      return entries.size;
    },
  };
}
