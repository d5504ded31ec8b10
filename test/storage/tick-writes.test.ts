/** Writes gathered in a tick: one commit for all, at the end of the tick or when flushed; a failed batch is reported. */
import Database from 'better-sqlite3';
import { TickWrites } from '../../src/storage/tick-writes';

function table() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const values = () => (db.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{ v: string }>).map((r) => r.v);
  return { db, insert, values };
}

it('commits a tick\'s writes together once the tick ends, in the order added', async () => {
  const { db, insert, values } = table();
  const writes = new TickWrites(db);
  writes.add(() => insert.run('a'));
  writes.add(() => insert.run('b'));
  expect(values()).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(values()).toEqual(['a', 'b']);
  db.close();
});

it('writes what is pending on flush(), and nothing twice', async () => {
  const { db, insert, values } = table();
  const writes = new TickWrites(db);
  writes.add(() => insert.run('a'));
  writes.flush();
  expect(values()).toEqual(['a']);
  await new Promise((resolve) => setImmediate(resolve));
  writes.flush();
  expect(values()).toEqual(['a']);
  db.close();
});

it('resolves each write once committed; a batch that fails rejects all of its writes, rolled back, and the next one is taken', async () => {
  const { db, insert, values } = table();
  const writes = new TickWrites(db);
  const both = Promise.allSettled([writes.add(() => insert.run('a')), writes.add(() => insert.run(null))]);
  writes.flush();
  expect((await both).map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([expect.stringMatching(/NOT NULL/), expect.stringMatching(/NOT NULL/)]);
  expect(values()).toEqual([]);
  const b = writes.add(() => insert.run('b'));
  await expect(b).resolves.toBeUndefined();
  expect(values()).toEqual(['b']);
  db.close();
});
