import type { BotState, TurnContext } from 'botbuilder';
import { STATE_SAVED, StateConflictError, changedSinceRead, forgetLoaded, isETagConflict } from './guarded-state';

/** How many times a turn runs in all when its state keeps turning out stale. */
export const STATE_ATTEMPTS = 3;

export interface StateRetryOptions {
  /** The turn's states (guarded: their writes carry the eTag they read). */
  states: readonly BotState[];
  attempts?: number;
  /** Told about each attempt that is run again (a log line, a metric). */
  onRetry?: (info: { key: string; attempt: number }) => void;
}

interface Attempt {
  /** The states' eTags were compared with the store's before this attempt's first visible act. */
  checked: boolean;
  /** Something reached (or may have reached) the user: the attempt can no longer be run again. */
  visible: boolean;
  conflict?: StateConflictError;
}

// The handler lists TurnContext keeps privately; an attempt that is run again starts from the same ones.
type Handlers = { _onSendActivities: unknown[]; _onUpdateActivity: unknown[]; _onDeleteActivity: unknown[] };
const HANDLER_LISTS = ['_onSendActivities', '_onUpdateActivity', '_onDeleteActivity'] as const;

/**
 * Runs a turn so that a stale state is never written and the user never sees
 * a reply twice. The states write with the eTags they read; before the
 * turn's first reply (or card update) the stored eTags are compared with
 * them, and if someone else wrote meanwhile the attempt stops there, before
 * anything was sent, and runs again on fresh state (up to `attempts`). A
 * conflict found only when saving, after replies went out, is not run again:
 * the turn fails without writing (nothing is overwritten) and the error path
 * tells the user.
 *
 * Why check before the first reply rather than hold the replies until the
 * state is saved: replies go out as the turn makes them (a reply then a slow
 * status check), and a channel that refuses a reply must still leave the
 * state unsaved so the channel's retry finds the conversation where it was.
 */
export class StateRetry {
  private readonly attempts: number;

  constructor(private readonly options: StateRetryOptions) {
    if (!options?.states?.length) throw new Error('StateRetry needs the turn\'s states');
    this.attempts = options.attempts ?? STATE_ATTEMPTS;
    if (!(this.attempts >= 1)) throw new RangeError('StateRetry: attempts ≥ 1');
  }

  async run(context: TurnContext, work: () => Promise<void>): Promise<void> {
    const { states } = this.options;
    let attempt: Attempt = { checked: false, visible: false };
    const beforeVisible = async <T>(next: () => Promise<T>): Promise<T> => {
      const current = attempt;
      if (current.conflict) throw current.conflict;
      if (!current.checked && !context.turnState.get(STATE_SAVED)) {
        current.checked = true;
        const stale = await changedSinceRead(states, context);
        if (stale) throw (current.conflict = new StateConflictError(stale));
      }
      current.visible = true;
      return next();
    };
    context.onSendActivities((_c, _a, next) => beforeVisible(next));
    context.onUpdateActivity((_c, _a, next) => beforeVisible(next));
    context.onDeleteActivity((_c, _a, next) => beforeVisible(next));

    // What the context looked like before the first attempt, to start each later one from it.
    const turnState = new Map(context.turnState);
    const lists = context as unknown as Handlers;
    const lengths = HANDLER_LISTS.map((name) => lists[name].length);

    for (let n = 1; ; n++) {
      let failure: unknown;
      try {
        await work();
      } catch (error) {
        failure = error;
      }
      const conflict = attempt.conflict ?? (failure !== undefined && isETagConflict(failure) ? failure : undefined);
      if (!conflict) {
        if (failure !== undefined) throw failure;
        return;
      }
      if (attempt.visible || n >= this.attempts) throw failure ?? conflict;
      this.options.onRetry?.({ key: (conflict as StateConflictError).key ?? '', attempt: n + 1 });
      context.turnState.clear();
      for (const [k, v] of turnState) context.turnState.set(k, v);
      HANDLER_LISTS.forEach((name, i) => (lists[name].length = lengths[i]!));
      forgetLoaded(states, context);
      attempt = { checked: false, visible: false };
    }
  }
}
