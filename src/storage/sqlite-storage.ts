import { randomUUID } from 'crypto';
import fs from 'fs';
import path from 'path';
import Database from 'better-sqlite3';
import type { Storage, StoreItems } from 'botbuilder';
import { fromRecord, toRecord } from './store-item';
import type { ETagReader } from './store-item';

export interface SqliteStorageOptions {
  /** Path of the database file, or ':memory:' (tests only: nothing survives close()). */
  file: string;
}

interface Row {
  key: string;
  etag: string;
  value: string;
}

const TABLE = 'bot_storage';

/**
 * botbuilder `Storage` on a local SQLite file, so conversation/user state survives a restart.
 * eTag semantics follow botbuilder's MemoryStorage: a write carrying an eTag other than '*'
 * must match the stored one, or the whole write call fails.
 */
export class SqliteStorage implements Storage, ETagReader {
  private readonly db: Database.Database;
  private readonly selectStmt: Database.Statement<[string], Row>;
  private readonly selectETagStmt: Database.Statement<[string], string>;
  private readonly upsertStmt: Database.Statement<[string, string, string, string]>;
  private readonly deleteStmt: Database.Statement<[string]>;

  constructor(options: SqliteStorageOptions) {
    const file = validateOptions(options);
    if (file !== ':memory:') {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    }
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      // WAL makes NORMAL durable against app crashes; only an OS crash can lose the last commit.
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (
           key        TEXT PRIMARY KEY NOT NULL,
           etag       TEXT NOT NULL,
           value      TEXT NOT NULL CHECK (json_valid(value)),
           updated_at TEXT NOT NULL
         )`,
      );
      this.selectStmt = this.db.prepare<[string], Row>(`SELECT key, etag, value FROM ${TABLE} WHERE key = ?`);
      this.selectETagStmt = this.db.prepare<[string], string>(`SELECT etag FROM ${TABLE} WHERE key = ?`).pluck();
      this.upsertStmt = this.db.prepare<[string, string, string, string]>(
        `INSERT INTO ${TABLE} (key, etag, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at`,
      );
      this.deleteStmt = this.db.prepare<[string]>(`DELETE FROM ${TABLE} WHERE key = ?`);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    assertKeys(keys, 'read');
    this.assertOpen();
    const result: StoreItems = {};
    this.snapshot(keys, () => {
      for (const key of keys) {
        const row = this.selectStmt.get(key);
        if (row) result[key] = fromRecord(row.value, row.etag);
      }
    });
    return result;
  }

  async readETags(keys: string[]): Promise<Map<string, string>> {
    assertKeys(keys, 'readETags');
    this.assertOpen();
    const result = new Map<string, string>();
    this.snapshot(keys, () => {
      for (const key of keys) {
        const etag = this.selectETagStmt.get(key);
        if (etag !== undefined) result.set(key, etag);
      }
    });
    return result;
  }

  /** Runs the reads of `keys` so they see one consistent snapshot: a transaction for several, none for one SELECT. */
  private snapshot(keys: string[], reads: () => void): void {
    if (keys.length > 1) this.db.transaction(reads)();
    else reads();
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      throw new TypeError('SqliteStorage.write: changes must be an object of items indexed by key.');
    }
    this.assertOpen();
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // Serialize before touching the database so a bad value cannot leave a half-done transaction.
    const prepared = entries.map(([key, item]) => ({ key, ...toRecord('SqliteStorage', key, item) }));
    const now = new Date().toISOString();
    // IMMEDIATE takes the write lock before the eTag check, so another process cannot slip in between.
    this.db
      .transaction(() => {
        for (const { key, incomingETag, json } of prepared) {
          if (incomingETag !== undefined) {
            const current = this.selectStmt.get(key);
            if (current && current.etag !== incomingETag) {
              throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
            }
          }
          this.upsertStmt.run(key, randomUUID(), json, now);
        }
      })
      .immediate();
  }

  async delete(keys: string[]): Promise<void> {
    assertKeys(keys, 'delete');
    this.assertOpen();
    if (keys.length === 0) return;
    this.db.transaction(() => {
      for (const key of keys) this.deleteStmt.run(key);
    })();
  }

  /**
   * The open database, for stores that keep their own tables in the same file
   * (transcripts, hand-offs): one embedded database, one connection.
   */
  get database(): Database.Database {
    this.assertOpen();
    return this.db;
  }

  /** Idempotent, so shutdown paths can call it without tracking state. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.open) throw new Error('SqliteStorage: the storage has been closed.');
  }
}

function validateOptions(options: SqliteStorageOptions): string {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('SqliteStorage: options must be an object like { file: "data/bot.sqlite" }.');
  }
  const { file } = options as { file?: unknown };
  if (typeof file !== 'string' || file.trim() === '') {
    throw new TypeError('SqliteStorage: options.file must be a non-empty path to the database file (or ":memory:").');
  }
  if (file.includes('\0')) {
    throw new TypeError('SqliteStorage: options.file must not contain NUL characters.');
  }
  return file;
}

function assertKeys(keys: string[], op: string): void {
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
    throw new TypeError(`SqliteStorage.${op}: keys must be an array of strings.`);
  }
}
