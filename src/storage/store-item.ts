/** How the bot's state stores turn a botbuilder store item into JSON and an eTag, and back: one rule for SQLite and Redis. */

/**
 * Splits the eTag off the item (stores keep it beside the JSON and reissue
 * it on every write) and serialises the rest. Like MemoryStorage: a missing,
 * empty or '*' eTag means "overwrite unconditionally" (incomingETag undefined).
 */
export function toRecord(store: string, key: string, item: unknown): { incomingETag: string | undefined; json: string } {
  const given = typeof item === 'object' && item !== null ? (item as { [JSON_TO_WRITE]?: string })[JSON_TO_WRITE] : undefined;
  if (item === undefined || typeof item === 'function' || typeof item === 'symbol' || typeof item === 'bigint') {
    throw new TypeError(`${store}.write: the value for "${key}" cannot be stored as JSON.`);
  }
  let incomingETag: string | undefined;
  let value: unknown = item;
  if (isPlainRecord(item)) {
    const { eTag, ...rest } = item;
    // Like MemoryStorage: missing, empty or '*' eTag means "overwrite unconditionally".
    if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') incomingETag = eTag;
    value = rest;
  }
  let json: string | undefined = given;
  try {
    json ??= JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`${store}.write: the value for "${key}" cannot be stored as JSON: ${(err as Error).message}`);
  }
  // A toJSON() returning undefined would otherwise reach the NOT NULL column as a confusing error.
  if (json === undefined) throw new TypeError(`${store}.write: the value for "${key}" cannot be stored as JSON.`);
  return { incomingETag, json };
}

/** The stored JSON with its eTag put back on (arrays and primitives have nowhere to carry one and round-trip as they are). */
export function fromRecord(json: string, etag: string): unknown {
  const value: unknown = JSON.parse(json);
  if (!isPlainRecord(value)) return value;
  const item = { ...value, eTag: etag };
  Object.defineProperty(item, JSON_READ, { value: json, configurable: true, enumerable: false });
  return item;
}

/*
 * A state item's JSON (without the eTag) is made once, not twice: the JSON
 * a store read an item from goes along with it, for the caller that needs
 * that string (the change check, src/bot/guarded-state.ts); and a writer that
 * has the JSON of what it writes hands it over. Two marks, not one: an item
 * read, changed and written back must not be written as it was read.
 * Symbols, not enumerable: invisible to JSON, spreads and the change check.
 */
const JSON_READ = Symbol('jsonRead');
const JSON_TO_WRITE = Symbol('jsonToWrite');

/** The JSON `item` was read from, if a store read it and nothing was written since (the caller's to know). */
export function jsonReadFor(item: object): string | undefined {
  return (item as { [JSON_READ]?: string })[JSON_READ];
}

/** `item` marked with the JSON of itself without its eTag, which the store then writes as it is. */
export function withJsonToWrite<T extends object>(item: T, json: string): T {
  Object.defineProperty(item, JSON_TO_WRITE, { value: json, configurable: true, enumerable: false });
  return item;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A store that tells the eTags of keys without reading their values: the
 * check before a turn's first reply needs only those. A key with no item has
 * no entry.
 */
export interface ETagReader {
  readETags(keys: string[]): Promise<Map<string, string>>;
}

export function readsETags(store: object): store is ETagReader {
  return typeof (store as Partial<ETagReader>).readETags === 'function';
}
