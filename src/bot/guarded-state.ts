import { ConversationState, UserState, calculateChangeHash } from 'botbuilder';
import type { BotState, Storage, StoreItem, TurnContext } from 'botbuilder';

/**
 * A state write refused because someone else wrote the same state since this
 * turn read it (another instance, or a turn that outlived its lock's lease).
 */
export class StateConflictError extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`state "${key}" was changed by someone else during this turn`, options);
    this.name = 'StateConflictError';
  }
}

/** The stores' own wording (SqliteStorage, RedisStorage, botbuilder's MemoryStorage). */
export function isETagConflict(error: unknown): boolean {
  return error instanceof StateConflictError || /eTag conflict/i.test(String((error as Error)?.message ?? ''));
}

// botbuilder keeps each state's cached object under a private symbol; this is the one place that reads it.
interface Cached {
  state: StoreItem;
  hash: string;
}
type Internals = { stateKey: symbol; storage: Storage; storageKey: (context: TurnContext) => Promise<string> | string };
const internals = (state: BotState) => state as unknown as Internals;
const cachedOf = (state: BotState, context: TurnContext): Cached | undefined => context.turnState.get(internals(state).stateKey) as Cached | undefined;

/** What a guarded state reports to the turn (src/bot/state-retry.ts) through the turn's state. */
export const STATE_SAVED = Symbol('stateSaved');

/**
 * botbuilder's states write with eTag '*' (last writer wins). These write
 * with the eTag the turn read, so a write over someone else's newer state
 * fails with a StateConflictError and nothing is overwritten. A state that
 * did not exist when read is written unconditionally (the stores have no
 * "only if absent"); `changedSinceRead` still spots that case before a reply.
 */
async function saveGuarded(state: BotState, context: TurnContext, force: boolean): Promise<void> {
  const cached = cachedOf(state, context);
  if (!force && !(cached && cached.hash !== calculateChangeHash(cached.state))) return;
  const { storage, storageKey, stateKey } = internals(state);
  const key = await storageKey(context);
  const current = cached ?? { state: {}, hash: '' };
  const { eTag, ...value } = current.state;
  const item = typeof eTag === 'string' && eTag !== '*' ? { ...value, eTag } : value;
  try {
    await storage.write({ [key]: item });
  } catch (error) {
    if (isETagConflict(error)) throw new StateConflictError(key, { cause: error });
    throw error;
  }
  // The store issued a new eTag this turn does not know: a second save in the same turn writes unconditionally.
  current.state.eTag = '*';
  current.hash = calculateChangeHash(current.state);
  context.turnState.set(stateKey, current);
  context.turnState.set(STATE_SAVED, true);
}

/**
 * Whether any state this turn has read was written by someone else since:
 * checked before the turn's first reply, so a stale turn can be run again
 * without the user seeing its replies twice.
 */
export async function changedSinceRead(states: readonly BotState[], context: TurnContext): Promise<string | undefined> {
  const read: Array<{ key: string; eTag: string | undefined; storage: Storage }> = [];
  for (const state of states) {
    const cached = cachedOf(state, context);
    if (!cached?.state) continue;
    const { storage, storageKey } = internals(state);
    const eTag = cached.state.eTag;
    read.push({ key: await storageKey(context), eTag: typeof eTag === 'string' && eTag !== '*' ? eTag : undefined, storage });
  }
  for (const { key, eTag, storage } of read) {
    const now = (await storage.read([key]))[key] as StoreItem | undefined;
    const nowETag = typeof now?.eTag === 'string' ? now.eTag : undefined;
    if (nowETag !== eTag) return key;
  }
  return undefined;
}

/** ConversationState whose writes carry the eTag read at the start of the turn. */
export class GuardedConversationState extends ConversationState {
  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveGuarded(this, context, force);
  }
}

/** UserState whose writes carry the eTag read at the start of the turn. */
export class GuardedUserState extends UserState {
  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveGuarded(this, context, force);
  }
}

/** Forgets the states a turn has read, so the next access reads them again (a retried attempt). */
export function forgetLoaded(states: readonly BotState[], context: TurnContext): void {
  for (const state of states) context.turnState.delete(internals(state).stateKey);
}
