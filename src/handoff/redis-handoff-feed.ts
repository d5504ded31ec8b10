import { randomUUID } from 'node:crypto';
import type { SharedRedis } from '../scale/redis-client';
import { FeedListeners } from './handoff-feed';
import type { FeedListener, FeedScope, HandoffFeed } from './handoff-feed';
import type { HandoffFeedEvent } from './types';

interface Envelope {
  from: string;
  event: HandoffFeedEvent;
}

/**
 * The desk's live events across instances: each event is dispatched here at
 * once and published on `<prefix>handoff:feed`; the other instances dispatch
 * it to their `everywhere` listeners (an agent's event stream held by
 * instance B hears the user who wrote on A). Pub/sub delivers to whoever is
 * subscribed at the time: a console that was disconnected reloads the queue
 * when it reconnects (the page does), nothing is replayed.
 */
export class RedisHandoffFeed implements HandoffFeed {
  private readonly id = randomUUID();
  private readonly channel: string;
  private readonly listeners: FeedListeners;
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (error) {
      return this.onError(error);
    }
    if (envelope.from !== this.id && envelope.event) this.listeners.dispatch(envelope.event, false);
  };
  /** Resolves once this instance hears the others (tests wait for it). */
  readonly ready: Promise<void>;

  constructor(
    private readonly redis: SharedRedis,
    private readonly onError: (error: unknown) => void,
  ) {
    this.channel = `${redis.prefix}handoff:feed`;
    this.listeners = new FeedListeners(onError);
    const subscriber = redis.subscriber();
    subscriber.on('message', this.onMessage);
    this.ready = subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
  }

  publish(event: HandoffFeedEvent): void {
    this.listeners.dispatch(event, true);
    this.redis.client.publish(this.channel, JSON.stringify({ from: this.id, event } satisfies Envelope)).catch((error: unknown) => this.onError(error));
  }

  subscribe(listener: FeedListener, scope?: FeedScope): () => void {
    return this.listeners.add(listener, scope);
  }

  close(): void {
    this.listeners.clear();
    const subscriber = this.redis.subscriber();
    subscriber.off('message', this.onMessage);
    if (subscriber.status === 'ready') subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
