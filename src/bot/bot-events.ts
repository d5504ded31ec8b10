import type { TurnContext } from 'botbuilder-core';
import type { IntentScore } from '../nlu/types';

/** How a first message was understood when the bot was not sure, or just after it was not. */
export interface Understanding {
  text: string;
  /** The classifier's readings, best first. */
  readings: readonly IntentScore[];
  /**
   * `clarify`: below the route threshold, the user was asked which reading was meant;
   * `fallback`: not understood; `rephrased`: understood right after a fallback (so the
   * fallen-back message probably meant the same).
   */
  outcome: 'clarify' | 'fallback' | 'rephrased';
}

/**
 * What happened in a conversation that someone outside the dialogs cares
 * about (metrics, insights). Dialogs call these with the turn's context;
 * they never know who listens. Only `understanding` carries user text, and
 * whoever stores it must redact it.
 */
export interface BotEvents {
  fixStarted(context: TurnContext, fixId: string): void;
  /** A step of a fix was shown (instruction, question, check or note). */
  stepReached(context: TurnContext, fixId: string, stepId: string): void;
  /** "I can't find it" at an instruction. */
  cantFind(context: TurnContext, fixId: string, stepId: string): void;
  fixFinished(context: TurnContext, fixId: string, solved: boolean): void;
  /** Every fix was tried and none helped: the user was given the support contacts. */
  escalated(context: TurnContext): void;
  /** The user confirmed they want a person and was handed to the agent desk. */
  handedOff(context: TurnContext): void;
  /** A message about something this bot does not do. */
  outOfScope(context: TurnContext): void;
  android(context: TurnContext): void;
  understanding(context: TurnContext, understanding: Understanding): void;
}

export type BotEventListener = Partial<BotEvents>;

export interface BotEventHub {
  /** The sink the bot calls. */
  readonly events: BotEvents;
  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: BotEventListener): () => void;
}

const EVENT_NAMES: readonly (keyof BotEvents)[] = ['fixStarted', 'stepReached', 'cantFind', 'fixFinished', 'escalated', 'handedOff', 'outOfScope', 'android', 'understanding'];

/**
 * A fan-out of listeners. A listener that throws is reported to `onError`
 * and skipped: counting a fix must never break the user's turn.
 */
export function createBotEventHub(onError: (error: unknown) => void = () => undefined): BotEventHub {
  const listeners = new Set<BotEventListener>();
  const fire = (name: keyof BotEvents, args: unknown[]): void => {
    for (const listener of listeners) {
      try {
        (listener[name] as ((...a: unknown[]) => void) | undefined)?.(...args);
      } catch (error) {
        onError(error);
      }
    }
  };
  const events = Object.fromEntries(EVENT_NAMES.map((name) => [name, (...args: unknown[]) => fire(name, args)])) as unknown as BotEvents;
  return {
    events,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** For wiring that does not listen (tests of the dialogs). */
export const IGNORED_BOT_EVENTS: BotEvents = createBotEventHub().events;
