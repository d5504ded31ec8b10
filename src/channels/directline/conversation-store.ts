import { ConversationLog } from './conversation-log';
import type { ActivitySet, ClientActivity, LogLimits, WireActivity } from './conversation-log';

export type { ActivitySet, ClientActivity, WireActivity } from './conversation-log';

export interface Conversation {
  readonly id: string;
  readonly userId: string;
}

export interface ConversationStoreOptions extends LogLimits {
  /** Conversations kept; beyond this the least recently used is evicted. */
  maxConversations: number;
  /** Bytes of activity JSON kept for all conversations together; beyond this the least recently used are evicted. */
  maxTotalBytes: number;
  /** Evicted conversation ids remembered (with their last activity number), so a returning client is told; default 10 × maxConversations. */
  maxRemembered?: number;
}

/** Called with each new activity set, or with `null` when the conversation is evicted. */
export type Listener = (set: ActivitySet | null) => void;

export interface ConversationStore {
  /**
   * Adds a conversation, evicting the least recently used if full; `lastSeq`
   * continues numbering past what a client already saw. Undefined when every
   * other conversation has a turn in progress (nothing may be evicted).
   */
  create(id: string, userId: string, lastSeq?: number): Conversation | undefined;
  get(id: string): Conversation | undefined;
  /** Logs the activity (see ConversationLog.append), tells listeners, and evicts others if over the byte budget. */
  append(id: string, activity: WireActivity): ClientActivity;
  after(id: string, watermark: string | undefined): ActivitySet;
  subscribe(id: string, listener: Listener): () => void;
  /** Keeps the conversation from eviction until the returned release is called (a turn is queued or running). */
  hold(id: string): () => void;
  /** The last activity number of a conversation evicted from memory, if still remembered. */
  evicted(id: string): number | undefined;
  size(): number;
  /** Bytes of activity JSON held in all. */
  bytes(): number;
}

interface Entry extends Conversation {
  log: ConversationLog;
  listeners: Set<Listener>;
  holds: number;
}

/**
 * In-memory conversation logs, capped in count and in bytes so a flood of
 * visitors costs bounded memory. Eviction is least recently used first,
 * sparing conversations with a turn in progress (their replies must land) and
 * preferring those nobody is watching; it is remembered so that a client who
 * comes back is told, not silently handed an empty chat. One process only.
 */
export function createConversationStore(options: ConversationStoreOptions): ConversationStore {
  const { maxConversations, maxActivities, maxBytes, maxTotalBytes } = options;
  const maxRemembered = options.maxRemembered ?? 10 * maxConversations;
  for (const [name, value] of Object.entries({ maxConversations, maxActivities, maxBytes, maxTotalBytes, maxRemembered })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`createConversationStore needs ${name} >= 1`);
  }
  // Map iteration order is insertion order; re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  const remembered = new Map<string, number>();
  let total = 0;

  const entry = (id: string): Entry => {
    const found = entries.get(id);
    if (!found) throw new Error(`unknown conversation ${id}`);
    entries.delete(id);
    entries.set(id, found);
    return found;
  };

  /** Evicts the least recently used conversation that may go (not `spare`, no turn in progress); false if none may. */
  const evictOne = (spare?: string): boolean => {
    let watched: Entry | undefined;
    let victim: Entry | undefined;
    for (const e of entries.values()) {
      if (e.holds > 0 || e.id === spare) continue;
      if (e.listeners.size === 0) {
        victim = e;
        break;
      }
      watched ??= e;
    }
    victim ??= watched;
    if (!victim) return false;
    entries.delete(victim.id);
    total -= victim.log.bytes;
    remembered.delete(victim.id);
    remembered.set(victim.id, victim.log.lastSeq);
    if (remembered.size > maxRemembered) remembered.delete(remembered.keys().next().value as string);
    for (const listener of victim.listeners) listener(null);
    return true;
  };

  return {
    create(id, userId, lastSeq = -1) {
      const existing = entries.get(id);
      if (existing) return existing;
      while (entries.size >= maxConversations) if (!evictOne()) return undefined;
      remembered.delete(id);
      const created: Entry = { id, userId, log: new ConversationLog(id, { maxActivities, maxBytes }, lastSeq), listeners: new Set(), holds: 0 };
      entries.set(id, created);
      return created;
    },
    get(id) {
      return entries.has(id) ? entry(id) : undefined;
    },
    append(id, activity) {
      const e = entry(id);
      const before = e.log.bytes;
      const stored = e.log.append(activity);
      total += e.log.bytes - before;
      while (total > maxTotalBytes && evictOne(id));
      const set = { activities: [stored], watermark: String(e.log.lastSeq) };
      for (const listener of e.listeners) listener(set);
      return stored;
    },
    after(id, watermark) {
      return entry(id).log.after(watermark);
    },
    subscribe(id, listener) {
      const e = entry(id);
      e.listeners.add(listener);
      return () => e.listeners.delete(listener);
    },
    hold(id) {
      const e = entry(id);
      e.holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        e.holds -= 1;
      };
    },
    evicted: (id) => remembered.get(id),
    size: () => entries.size,
    bytes: () => total,
  };
}
