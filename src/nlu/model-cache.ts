import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { LEXICON_PATH } from './lexicon';
import type { SoftmaxParameters } from './softmax';

/**
 * Trained models kept on disk, keyed by a hash of everything that shapes
 * them, so a restart with unchanged content skips training (start-up and the
 * memory training's burst of allocations leaves behind). Any change to the
 * examples, the options or the engine's code gives a new key: a stale model
 * is never loaded, it is simply not found.
 */
export interface ModelCache {
  read(key: string): Buffer | undefined;
  write(key: string, bytes: Buffer): void;
  /** The bytes read under `key` are not a whole model of that key: reported, then replaced by the next write. */
  reject(key: string, reason: string): void;
}

/** What a cache tells its owner: a hit, a miss (trained), or a problem it recovered from. */
export type ModelCacheEvent =
  | { kind: 'hit' | 'stored'; key: string; file: string }
  | { kind: 'problem'; key: string; file: string; error: string };

const SUFFIX = '.model';
/** Models of earlier content are deleted beyond this many (a model is a few MB). */
const KEEP = 8;

/**
 * A cache in a folder (the bot's DATA_DIR). Files are written to a temporary
 * name and renamed, so a reader never sees half a model; a file that cannot be
 * read or written is reported and the model is trained as if there were none.
 */
export function directoryModelCache(dir: string, onEvent: (e: ModelCacheEvent) => void = () => undefined): ModelCache {
  const fileOf = (key: string): string => join(dir, `${key}${SUFFIX}`);
  return {
    read(key) {
      const file = fileOf(key);
      try {
        const bytes = readFileSync(file);
        onEvent({ kind: 'hit', key, file });
        return bytes;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onEvent({ kind: 'problem', key, file, error: String(error) });
        return undefined;
      }
    },
    write(key, bytes) {
      const file = fileOf(key);
      try {
        mkdirSync(dir, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, bytes);
        renameSync(temporary, file);
        onEvent({ kind: 'stored', key, file });
        pruneOldModels(dir);
      } catch (error) {
        onEvent({ kind: 'problem', key, file, error: String(error) });
      }
    },
    reject(key, reason) {
      onEvent({ kind: 'problem', key, file: fileOf(key), error: reason });
    },
  };
}

function pruneOldModels(dir: string): void {
  const models = readdirSync(dir)
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => ({ file: join(dir, name), time: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of models.slice(KEEP)) unlinkSync(old.file);
}

let engineFingerprint: string | undefined;

/**
 * A hash of the NLU engine itself: its own source files (as running: .ts under
 * jest, .js when built), the lexicon, and the stemmer's package version. A
 * changed tokeniser or feature must not load a model trained by the old one.
 */
function engine(): string {
  if (engineFingerprint !== undefined) return engineFingerprint;
  const hash = createHash('sha256');
  const here = __dirname;
  for (const name of readdirSync(here).sort()) {
    if (!['.ts', '.js'].includes(extname(name))) continue;
    hash.update(name).update(readFileSync(join(here, name)));
  }
  hashFileInto(hash, LEXICON_PATH);
  hash.update(naturalVersion());
  engineFingerprint = hash.digest('hex');
  return engineFingerprint;
}

/**
 * Feeds a file to `hash` in 64 KB pieces: reading the 3.3 MB lexicon whole
 * only to free it again would raise glibc's mmap threshold to that size, and
 * training's buffers would then stay resident after being freed.
 */
function hashFileInto(hash: Hash, path: string): void {
  const chunk = Buffer.allocUnsafe(1 << 16);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

function naturalVersion(): string {
  let dir = dirname(require.resolve('natural'));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'natural') return String(pkg.version);
    } catch {
      // not this folder: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** The cache key of one model: the engine, then everything given to training, in order. */
export function modelKey(training: unknown): string {
  return createHash('sha256').update(engine()).update(JSON.stringify(training)).digest('hex').slice(0, 32);
}

/** A trained text classifier's learned parts: the feature columns and the softmax weights. */
export interface StoredModel {
  labels: readonly string[];
  keys: Uint32Array;
  softmax: SoftmaxParameters;
}

/** Version 2: Float32 weights. */
const MAGIC = Buffer.from('WANLU\u0002', 'latin1');

interface Header {
  key: string;
  labels: string[];
  features: number;
  classes: number;
}

/** MAGIC, header length (uint32 LE), header JSON, then keys, weights, biases as little-endian arrays. */
export function encodeModel(key: string, model: StoredModel): Buffer {
  const { keys, softmax } = model;
  const header: Header = { key, labels: [...model.labels], features: keys.length, classes: softmax.classes };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const bytesOf = (a: Uint32Array | Float32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([MAGIC, length, json, bytesOf(keys), bytesOf(softmax.weights), bytesOf(softmax.bias)]);
}

/** The model in `bytes` if it is whole and was stored under `key` for `labels`; undefined otherwise. */
export function decodeModel(bytes: Buffer, key: string, labels: readonly string[]): StoredModel | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4;
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(offset, offset + headerLength).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  offset += headerLength;
  const { features, classes } = header;
  if (header.key !== key || JSON.stringify(header.labels) !== JSON.stringify(labels) || classes !== labels.length) return undefined;
  if (bytes.length !== offset + 4 * features + 4 * features * classes + 8 * classes) return undefined;
  // Copied into fresh arrays: the file's bytes need not sit at an 8-byte boundary.
  const copy = <T extends Uint32Array | Float32Array | Float64Array>(target: T): T => {
    new Uint8Array(target.buffer).set(bytes.subarray(offset, offset + target.byteLength));
    offset += target.byteLength;
    return target;
  };
  const keys = copy(new Uint32Array(features));
  const weights = copy(new Float32Array(features * classes));
  const bias = copy(new Float64Array(classes));
  return { labels, keys, softmax: { classes, weights, bias } };
}
