import Database from 'better-sqlite3';
import { SqliteAgentSessions } from '../../src/handoff/agent-sessions';
import { SqliteChatwootOutbox } from '../../src/handoff/desks/chatwoot/outbox';
import { SqliteHandoffStore } from '../../src/handoff/handoff-store';
import { MemoryLoginThrottle } from '../../src/handoff/login-throttle';
import { describeChatwootOutboxContract } from './desks/chatwoot-outbox-contract';
import { describeHandoffStoreContract, describeSessionsContract, describeThrottleContract } from './handoff-store-contract';

describe('the hand-off stores of one instance (SQLite, memory)', () => {
  const databases: Database.Database[] = [];
  const database = () => {
    const db = new Database(':memory:');
    databases.push(db);
    return db;
  };
  afterEach(() => {
    for (const db of databases.splice(0)) db.close();
  });

  describe('SqliteHandoffStore', () => describeHandoffStoreContract(async (clock) => new SqliteHandoffStore(database(), clock.now)));
  describe('SqliteAgentSessions', () => describeSessionsContract(async (now) => new SqliteAgentSessions(database(), now)));
  describe('MemoryLoginThrottle', () => describeThrottleContract(async (now) => new MemoryLoginThrottle(now)));
  describe('SqliteChatwootOutbox', () => describeChatwootOutboxContract(async () => new SqliteChatwootOutbox(database())));
});
