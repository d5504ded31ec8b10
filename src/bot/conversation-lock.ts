/**
 * One turn of a conversation at a time, in arrival order: two quick messages
 * must not race over the same stored state. In one process a promise chain
 * per conversation does it; several instances share a lock in Redis
 * (src/scale/redis-conversation-lock.ts).
 */
export interface ConversationLock {
  /** Runs `work` once every turn of `key` that arrived earlier has finished; its result or error is passed on. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** The lock of a single process: a promise chain per conversation, dropped when it runs empty. */
export class InProcessConversationLock implements ConversationLock {
  private readonly queues = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const current = previous.then(work);
    // The chain must go on even if this turn fails; the failure still reaches the caller.
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    try {
      return await current;
    } finally {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    }
  }
}
