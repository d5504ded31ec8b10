import type Redis from 'ioredis';
import type { AgentAccount } from './agent-accounts';
import { EXPIRED_KEPT_MS, newSession, sessionDigest, sessionLookup, wellFormedSessionId } from './agent-sessions';
import type { AgentSessions, SessionLookup } from './agent-sessions';

/**
 * Console sessions in Redis (`<prefix>handoff:session:<sha256>`), so a
 * session cookie from one instance works on every other; each key expires by
 * itself a day after the session does.
 */
export class RedisAgentSessions implements AgentSessions {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!redis) throw new TypeError('RedisAgentSessions needs an ioredis client');
    this.key = `${prefix}handoff:session:`;
  }

  async create(account: Pick<AgentAccount, 'name' | 'role'>): Promise<{ id: string; expiresAt: number }> {
    const now = this.now();
    const { id, hash, expiresAt } = newSession(now);
    // A relative time to live: the instances' clocks and Redis's need not agree.
    await this.redis
      .multi()
      .hset(this.key + hash, { agentName: account.name, role: account.role, expiresAt })
      .pexpire(this.key + hash, expiresAt - now + EXPIRED_KEPT_MS)
      .exec();
    return { id, expiresAt };
  }

  async lookup(id: string, known: ReadonlyMap<string, AgentAccount>): Promise<SessionLookup> {
    if (!wellFormedSessionId(id)) return { kind: 'unknown' };
    const [agentName, expiresAt] = await this.redis.hmget(this.key + sessionDigest(id), 'agentName', 'expiresAt');
    return sessionLookup(agentName !== null && expiresAt !== null ? { agentName, expiresAt: Number(expiresAt) } : undefined, known, this.now());
  }

  async end(id: string): Promise<void> {
    await this.redis.del(this.key + sessionDigest(id));
  }
}
