import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/** An agent who may sign in to the console, from AGENT_ACCOUNTS. */
export interface AgentAccount {
  name: string;
  role: 'agent' | 'admin';
  /** `scrypt$<saltHex>$<hashHex>` */
  hash: string;
}

// scrypt's cost: N = 2^14, r = 8 (about 16 MiB and a few tens of ms per check); 64-byte keys.
const KEY_LENGTH = 64;
const COST = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH = /^scrypt\$([0-9a-f]{32})\$([0-9a-f]{128})$/;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The string to put in AGENT_ACCOUNTS for `password` (what `npm run agent:hash` prints). */
export function hashPassword(password: string): string {
  if (password.length < 8) throw new Error('the password must be at least 8 characters');
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, KEY_LENGTH, COST).toString('hex')}`;
}

/** Whether `password` matches the stored hash; constant time in the password's hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[2]!, 'hex');
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(m[1]!, 'hex'), KEY_LENGTH, COST, (error, key) => (error ? reject(error) : resolve(key))),
  );
  return timingSafeEqual(expected, actual);
}

/** Parses AGENT_ACCOUNTS (`name:role:scrypt$salt$hash`, comma-separated); throws saying what is wrong. */
export function parseAgentAccounts(text: string): AgentAccount[] {
  const accounts: AgentAccount[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [name = '', role = '', ...rest] = entry.split(':');
    const hash = rest.join(':');
    if (!NAME.test(name)) throw new Error(`"${name}" is not a valid agent name (letters, digits, . _ -)`);
    if (role !== 'agent' && role !== 'admin') throw new Error(`agent "${name}": the role must be agent or admin`);
    if (!HASH.test(hash)) throw new Error(`agent "${name}": the password must be a scrypt string from \`npm run agent:hash\``);
    if (accounts.some((a) => a.name === name)) throw new Error(`agent "${name}" is listed twice`);
    accounts.push({ name, role, hash });
  }
  return accounts;
}
