import type { HandoffFeedEvent } from './types';

export type FeedListener = (event: HandoffFeedEvent) => void;

/**
 * Where a listener hears from: `everywhere` = what happened on any instance
 * (an agent's live console, wherever it is connected); `here` = only what
 * happened on this instance (things that must be done once, such as the
 * Teams agents' proactive messages).
 */
export type FeedScope = 'everywhere' | 'here';

/** The desk's live events (queue changes, lines, typing, states), as the agents' consoles and Teams agents hear them. */
export interface HandoffFeed {
  /** Tells this instance's listeners at once, and (with Redis) every other instance's. */
  publish(event: HandoffFeedEvent): void;
  subscribe(listener: FeedListener, scope?: FeedScope): () => void;
  close(): void;
}

/** The listeners of one process, by scope; a listener that throws does not stop the others. */
export class FeedListeners {
  private readonly everywhere = new Set<FeedListener>();
  private readonly here = new Set<FeedListener>();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(listener: FeedListener, scope: FeedScope = 'everywhere'): () => void {
    const set = scope === 'here' ? this.here : this.everywhere;
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** `local`: the event happened on this instance (the `here` listeners hear it too). */
  dispatch(event: HandoffFeedEvent, local: boolean): void {
    for (const listener of local ? [...this.everywhere, ...this.here] : [...this.everywhere]) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.everywhere.clear();
    this.here.clear();
  }
}

/** One instance (no REDIS_URL): every event happens here. */
export class LocalHandoffFeed implements HandoffFeed {
  private readonly listeners: FeedListeners;

  constructor(onError: (error: unknown) => void) {
    this.listeners = new FeedListeners(onError);
  }

  publish(event: HandoffFeedEvent): void {
    this.listeners.dispatch(event, true);
  }

  subscribe(listener: FeedListener, scope?: FeedScope): () => void {
    return this.listeners.add(listener, scope);
  }

  close(): void {
    this.listeners.clear();
  }
}
