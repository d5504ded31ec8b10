/**
 * What happened in a conversation that someone outside the dialogs cares
 * about (metrics now, insights later). Dialogs call these; they never know
 * who listens. No user text travels here.
 */
export interface BotEvents {
  fixStarted(fixId: string): void;
  fixFinished(fixId: string, solved: boolean): void;
  /** Every fix was tried and none helped: the user was given the support contacts. */
  escalated(): void;
}

export type BotEventListener = Partial<BotEvents>;

export interface BotEventHub {
  /** The sink the bot calls. */
  readonly events: BotEvents;
  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: BotEventListener): () => void;
}

/**
 * A fan-out of listeners. A listener that throws is reported to `onError`
 * and skipped: counting a fix must never break the user's turn.
 */
export function createBotEventHub(onError: (error: unknown) => void = () => undefined): BotEventHub {
  const listeners = new Set<BotEventListener>();
  const fire = <K extends keyof BotEvents>(name: K, ...args: Parameters<BotEvents[K]>): void => {
    for (const listener of listeners) {
      try {
        (listener[name] as ((...a: Parameters<BotEvents[K]>) => void) | undefined)?.(...args);
      } catch (error) {
        onError(error);
      }
    }
  };
  return {
    events: {
      fixStarted: (fixId) => fire('fixStarted', fixId),
      fixFinished: (fixId, solved) => fire('fixFinished', fixId, solved),
      escalated: () => fire('escalated'),
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** For wiring that does not listen (tests of the dialogs). */
export const IGNORED_BOT_EVENTS: BotEvents = { fixStarted: () => undefined, fixFinished: () => undefined, escalated: () => undefined };
