import { RecentIds } from './recent-ids';
import type { ActivitySet, ClientActivity, Conversation, ConversationStore, Listener, WireActivity } from './conversation-store';

export type { Listener };

/** A conversation from `create`: `fresh` is false when it already existed (another request, or instance, made it first). */
export interface Created extends Conversation {
  readonly fresh: boolean;
}

/**
 * Where the built-in Direct Line keeps its conversations: in this process's
 * memory (one instance) or in Redis (several instances behind a balancer).
 * The service speaks only to this; test/directline/directline-store-contract.ts
 * holds both to the same behaviour.
 */
export interface DirectLineStore {
  /**
   * Adds a conversation, or returns the existing one (`fresh: false`);
   * `lastSeq` continues numbering past what a client already saw. Undefined
   * when there is no room (memory: every other conversation has a turn in progress).
   */
  create(id: string, userId: string, lastSeq?: number): Promise<Created | undefined>;
  get(id: string): Promise<Conversation | undefined>;
  /** Logs the activity with its id and watermark, capped in count and bytes, and tells every watcher. */
  append(id: string, activity: WireActivity): Promise<ClientActivity>;
  after(id: string, watermark: string | undefined): Promise<ActivitySet>;
  /**
   * Calls `listener` with what came after `watermark` (possibly nothing),
   * then with each new activity once and in order, wherever it was appended;
   * `null` when the conversation is gone. Resolves to the unsubscribe.
   */
  watch(id: string, watermark: string | undefined, listener: Listener): Promise<() => void>;
  /** Keeps the conversation from eviction until the returned release is called (a turn is queued or running). */
  hold(id: string): () => void;
  /** The last activity number of a conversation no longer held, if still remembered. */
  evicted(id: string): Promise<number | undefined>;
  /** Remembers that starting this conversation was refused (429), until it is created: a client coming back is starting it, not returning. */
  refuseStart(id: string): Promise<void>;
  startRefused(id: string): Promise<boolean>;
}

/**
 * The in-memory store behind the async face. Each call does its work at
 * once (synchronously), so one request's check-then-act is never interleaved
 * with another's, exactly as before the face was async.
 */
export function memoryDirectLineStore(store: ConversationStore): DirectLineStore {
  if (!store) throw new Error('memoryDirectLineStore needs a ConversationStore');
  const refused = new RecentIds(10_000);
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    create: (id, userId, lastSeq) =>
      run(() => {
        const existing = store.get(id);
        if (existing) return { id, userId: existing.userId, fresh: false };
        const created = store.create(id, userId, lastSeq);
        if (created) refused.delete(id);
        return created && { id, userId: created.userId, fresh: true };
      }),
    get: (id) => run(() => store.get(id)),
    append: (id, activity) => run(() => store.append(id, activity)),
    after: (id, watermark) => run(() => store.after(id, watermark)),
    watch: (id, watermark, listener) =>
      run(() => {
        listener(store.after(id, watermark));
        return store.subscribe(id, listener);
      }),
    hold: (id) => (store.get(id) ? store.hold(id) : () => undefined),
    evicted: (id) => run(() => store.evicted(id)),
    refuseStart: (id) => run(() => refused.add(id)),
    startRefused: (id) => run(() => refused.has(id)),
  };
}
