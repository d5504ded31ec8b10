import { ConversationState, UserState } from 'botbuilder';
import type { BotState, Storage, StoreItem, TurnContext } from 'botbuilder';
import { jsonReadFor, readsETags, withJsonToWrite } from '../storage/store-item';

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
  /** What the state was when read or last saved: botbuilder's change hash, or (states loaded here) its fingerprint. */
  hash: string;
}
type Internals = { stateKey: symbol; storage: Storage; storageKey: (context: TurnContext) => Promise<string> | string };
const internals = (state: BotState) => state as unknown as Internals;
const cachedOf = (state: BotState, context: TurnContext): Cached | undefined => context.turnState.get(internals(state).stateKey) as Cached | undefined;

/** What a guarded state reports to the turn (src/bot/state-retry.ts) through the turn's state. */
export const STATE_SAVED = Symbol('stateSaved');

// Marks a state object that did not exist when the turn read it (a symbol: not stored, not in the change hash).
const READ_ABSENT = Symbol('readAbsent');
/**
 * The eTag a write of such a state carries: no store ever issues it, so the
 * write succeeds only while the item still does not exist (every store's
 * rule: a missing item takes any eTag, an existing one must match).
 */
const NOT_YET_WRITTEN = 'not-yet-written';

/**
 * What a save compares to see whether the turn changed the state: its JSON
 * without the eTag. botbuilder hashes a replacer-driven stringify with
 * SHA-256 on every load and save (five times a turn) for the same answer;
 * plain JSON is several times cheaper, and a state JSON cannot write could
 * not be saved anyway.
 */
function fingerprint(state: StoreItem): string {
  const { eTag: _eTag, ...value } = state;
  return JSON.stringify(value);
}

/** botbuilder's BotState.load with the fingerprint for the hash, and a state read as absent marked so. */
async function loadGuarded(state: BotState, context: TurnContext, force: boolean): Promise<StoreItem> {
  const { storage, storageKey, stateKey } = internals(state);
  const cached = cachedOf(state, context);
  if (!force && cached?.state) return cached.state;
  const key = await storageKey(context);
  const items = await storage.read([key]);
  const read = (items[key] as StoreItem | undefined) ?? {};
  if (typeof read.eTag !== 'string') Object.defineProperty(read, READ_ABSENT, { value: true, configurable: true, enumerable: false });
  context.turnState.set(stateKey, { state: read, hash: jsonReadFor(read) ?? fingerprint(read) });
  return read;
}

/**
 * botbuilder's states write with eTag '*' (last writer wins). These write
 * with the eTag the turn read, so a write over someone else's newer state
 * fails with a StateConflictError and nothing is overwritten; a state that
 * did not exist when read is written only if it still does not. (A state
 * emptied with botbuilder's `clear()` is written unconditionally, as before.)
 */
async function saveGuarded(state: BotState, context: TurnContext, force: boolean): Promise<void> {
  const cached = cachedOf(state, context);
  const now = cached ? fingerprint(cached.state) : undefined;
  if (!force && !(cached && cached.hash !== now)) return;
  const { storage, storageKey, stateKey } = internals(state);
  const key = await storageKey(context);
  const current = cached ?? { state: {}, hash: '' };
  const { eTag, ...value } = current.state;
  const absent = (current.state as Record<symbol, unknown>)[READ_ABSENT] === true;
  const expected = typeof eTag === 'string' && eTag !== '*' ? eTag : absent ? NOT_YET_WRITTEN : undefined;
  // The fingerprint is the JSON the store would make of this item: it is handed over, not made again.
  const json = now ?? fingerprint(current.state);
  const item = withJsonToWrite(expected ? { ...value, eTag: expected } : value, json);
  try {
    await storage.write({ [key]: item });
  } catch (error) {
    if (isETagConflict(error)) throw new StateConflictError(key, { cause: error });
    throw error;
  }
  // The store issued a new eTag this turn does not know: a second save in the same turn writes unconditionally.
  current.state.eTag = '*';
  delete (current.state as Record<symbol, unknown>)[READ_ABSENT];
  current.hash = json;
  context.turnState.set(stateKey, current);
  context.turnState.set(STATE_SAVED, true);
}

/**
 * Whether any state this turn has read was written by someone else since:
 * checked before the turn's first reply, so a stale turn can be run again
 * without the user seeing its replies twice.
 */
export async function changedSinceRead(states: readonly BotState[], context: TurnContext): Promise<string | undefined> {
  // The eTag each read state had, grouped by store: one read per store (the bot's states share one), not one per state.
  const byStorage = new Map<Storage, Map<string, string | undefined>>();
  for (const state of states) {
    const cached = cachedOf(state, context);
    if (!cached?.state) continue;
    const { storage, storageKey } = internals(state);
    const eTag = cached.state.eTag;
    const read = byStorage.get(storage) ?? new Map<string, string | undefined>();
    read.set(await storageKey(context), typeof eTag === 'string' && eTag !== '*' ? eTag : undefined);
    byStorage.set(storage, read);
  }
  for (const [storage, read] of byStorage) {
    const now = await eTagsNow(storage, [...read.keys()]);
    for (const [key, eTag] of read) if (now.get(key) !== eTag) return key;
  }
  return undefined;
}

/** The stored eTags of `keys` (a store that cannot read eTags alone reads the items). */
async function eTagsNow(storage: Storage, keys: string[]): Promise<Map<string, string>> {
  if (readsETags(storage)) return storage.readETags(keys);
  const items = new Map(Object.entries(await storage.read(keys)));
  const eTags = new Map<string, string>();
  for (const [key, item] of items) if (typeof (item as StoreItem)?.eTag === 'string') eTags.set(key, (item as StoreItem).eTag!);
  return eTags;
}

/** ConversationState whose writes carry the eTag read at the start of the turn. */
export class GuardedConversationState extends ConversationState {
  override load(context: TurnContext, force = false): ReturnType<BotState['load']> {
    return loadGuarded(this, context, force);
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveGuarded(this, context, force);
  }
}

/** UserState whose writes carry the eTag read at the start of the turn. */
export class GuardedUserState extends UserState {
  override load(context: TurnContext, force = false): ReturnType<BotState['load']> {
    return loadGuarded(this, context, force);
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveGuarded(this, context, force);
  }
}

/** Forgets the states a turn has read, so the next access reads them again (a retried attempt). */
export function forgetLoaded(states: readonly BotState[], context: TurnContext): void {
  for (const state of states) context.turnState.delete(internals(state).stateKey);
}
