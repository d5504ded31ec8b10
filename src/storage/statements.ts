import type Database from 'better-sqlite3';

/**
 * Each SQL text prepared once per database and reused: stores whose
 * queries run on every message (is a person holding this conversation?)
 * must not compile them again each time.
 */
export function preparedStatements(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return <P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  };
}
