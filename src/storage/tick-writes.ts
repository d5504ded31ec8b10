import type Database from 'better-sqlite3';

/**
 * Small writes whose callers need no answer but "done" (a transcript row,
 * an insight event), gathered during one tick of the event loop and
 * committed in one SQLite transaction: a turn makes several, concurrent
 * turns make theirs in the same tick, and each commit costs more than the
 * rows in it. The stores that
 * add writes here call flush() before anything that reads or changes the
 * same tables, so nothing reads around a pending row. add() resolves once
 * its write is committed, or rejects with what failed the batch (all of it
 * is rolled back).
 */
export class TickWrites {
  private pending: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly commit: (writes: Pending[]) => void;

  constructor(db: Database.Database) {
    this.commit = db.transaction((writes: Pending[]) => {
      for (const { write } of writes) write();
    });
  }

  add(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what is pending now; also at shutdown, before the database closes. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.length === 0) return;
    const writes = this.pending;
    this.pending = [];
    try {
      this.commit(writes);
    } catch (error) {
      for (const { reject } of writes) reject(error);
      return;
    }
    for (const { resolve } of writes) resolve();
  }
}

interface Pending {
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}
