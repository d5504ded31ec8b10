import type { AgentAccount } from '../../src/handoff/agent-accounts';
import { SESSION_HOURS } from '../../src/handoff/agent-sessions';
import type { AgentSessions } from '../../src/handoff/agent-sessions';
import type { HandoffStore, NewHandoff } from '../../src/handoff/handoff-store';
import { MAX_FAILURES, WINDOW_MS } from '../../src/handoff/login-throttle';
import type { LoginThrottle } from '../../src/handoff/login-throttle';
import type { HandoffSummary } from '../../src/handoff/types';

export const SUMMARY: HandoffSummary = {
  fixesTried: [{ fix: 'icloud-access', title: 'Let WhatsApp use iCloud', steps: [{ step: 'open-icloud', prompt: 'Open Settings', answer: 'Done ("done, mail me at ann@example.com")' }], outcome: 'not solved' }],
  sizes: [],
  devices: [],
  firstMessage: 'backup broken, call me on +44 7700 900123',
  lastUserMessages: ['ann@example.com is my address'],
  channel: 'emulator',
};

/** A clock the tests move by hand: requests a second apart, waits of known length. */
export class TestClock {
  private t = Date.parse('2026-03-02T10:00:00.000Z');
  readonly now = (): Date => new Date(this.t);
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

const request = (conversationId: string, userName = 'Ann'): NewHandoff => ({
  conversationId,
  channelId: 'emulator',
  userName,
  summary: SUMMARY,
  reference: { conversation: { id: conversationId } as never, serviceUrl: 'http://127.0.0.1:1/' },
});

/**
 * What every hand-off store must do, whatever is behind it (SQLite for one
 * instance, Redis for several). `fresh(clock)` gives an empty store whose
 * time is `clock.now`; `twin(store)` another handle on the same data (another
 * instance), or the same store where there is only one.
 */
export function describeHandoffStoreContract(fresh: (clock: TestClock) => Promise<HandoffStore>, twin: (store: HandoffStore, clock: TestClock) => Promise<HandoffStore> = async (s) => s): void {
  let clock: TestClock;
  let store: HandoffStore;
  beforeEach(async () => {
    clock = new TestClock();
    store = await fresh(clock);
  });

  it('creates a waiting record, reads it back and finds it by conversation', async () => {
    const record = await store.create(request('c1'));
    expect(record).toMatchObject({ state: 'waiting', conversationId: 'c1', userName: 'Ann', requestedAt: '2026-03-02T10:00:00.000Z' });
    const read = await store.get(record.id);
    expect(read).toMatchObject({ id: record.id, state: 'waiting', channelId: 'emulator', reference: request('c1').reference });
    expect(read?.acceptedAt).toBeUndefined();
    expect(read?.leftMessage).toBeUndefined();
    expect(read?.toldPosition).toBeUndefined();
    expect((await store.openFor('c1'))?.id).toBe(record.id);
    expect((await store.latestFor('c1'))?.id).toBe(record.id);
    expect(await store.openFor('c2')).toBeUndefined();
    expect(await store.latestFor('c2')).toBeUndefined();
    expect(await store.get('no-such-id')).toBeUndefined();
    expect(await store.auditLog(record.id)).toEqual([{ event: 'requested', actor: 'user', at: '2026-03-02T10:00:00.000Z' }]);
  });

  it('stores the summary redacted', async () => {
    const record = await store.create(request('c1'));
    const stored = (await store.get(record.id))!.summary;
    expect(stored.firstMessage).toBe('backup broken, call me on [phone]');
    expect(stored.lastUserMessages).toEqual(['[email] is my address']);
    expect(stored.fixesTried[0]!.steps[0]!.answer).toBe('Done ("done, mail me at [email]")');
  });

  it('keeps the queue oldest first, and a record leaves it when it moves on', async () => {
    const a = await store.create(request('c1', 'Ann'));
    clock.advance(1);
    const b = await store.create(request('c2', 'Ben'));
    clock.advance(1);
    const c = await store.create(request('c3', 'Cat'));
    expect((await store.waiting()).map((r) => r.userName)).toEqual(['Ann', 'Ben', 'Cat']);
    expect(await store.transition(b.id, ['waiting'], 'left')).toBe(true);
    expect((await store.waiting()).map((r) => r.id)).toEqual([a.id, c.id]);
    expect(await store.openFor('c2')).toBeUndefined();
    expect((await store.latestFor('c2'))?.state).toBe('left');
    expect((await store.get(b.id))?.endedAt).toBe('2026-03-02T10:00:02.000Z');
  });

  it('moves a record only from the states given, setting the agent and the times', async () => {
    const record = await store.create(request('c1'));
    clock.advance(90);
    expect(await store.transition(record.id, ['active'], 'ended')).toBe(false);
    expect(await store.transition(record.id, ['waiting'], 'active', { agentId: 'console:Alex', agentName: 'Alex' })).toBe(true);
    expect(await store.transition(record.id, ['waiting'], 'active', { agentId: 'console:Sam', agentName: 'Sam' })).toBe(false);
    expect(await store.get(record.id)).toMatchObject({ state: 'active', agentId: 'console:Alex', agentName: 'Alex', acceptedAt: '2026-03-02T10:01:30.000Z' });
    expect((await store.activeFor('console:Alex')).map((r) => r.id)).toEqual([record.id]);
    expect(await store.activeFor('console:Sam')).toEqual([]);
    expect(await store.waiting()).toEqual([]);
    expect((await store.openFor('c1'))?.state).toBe('active');
    clock.advance(60);
    expect(await store.transition(record.id, ['active'], 'ended')).toBe(true);
    expect(await store.get(record.id)).toMatchObject({ state: 'ended', agentId: 'console:Alex', acceptedAt: '2026-03-02T10:01:30.000Z', endedAt: '2026-03-02T10:02:30.000Z' });
    expect(await store.activeFor('console:Alex')).toEqual([]);
    expect(await store.openFor('c1')).toBeUndefined();
    expect(await store.transition('no-such-id', ['waiting'], 'active')).toBe(false);
  });

  it('lets exactly one of many simultaneous accepts win, from two handles on the same data', async () => {
    const other = await twin(store, clock);
    const record = await store.create(request('c1'));
    const tries = Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).transition(record.id, ['waiting'], 'active', { agentId: `console:agent${i}`, agentName: `agent${i}` }));
    const won = (await Promise.all(tries)).map((ok, i) => (ok ? i : -1)).filter((i) => i >= 0);
    expect(won).toHaveLength(1);
    expect((await other.get(record.id))?.agentId).toBe(`console:agent${won[0]}`);
  });

  it('gives the waits of the latest acceptances, newest first', async () => {
    expect(await store.recentWaits(20)).toEqual([]);
    const a = await store.create(request('c1'));
    const b = await store.create(request('c2'));
    clock.advance(30);
    await store.transition(a.id, ['waiting'], 'active', { agentId: 'console:Alex', agentName: 'Alex' });
    clock.advance(45);
    await store.transition(b.id, ['waiting'], 'active', { agentId: 'console:Sam', agentName: 'Sam' });
    await store.transition(b.id, ['active'], 'ended');
    // SQLite's julianday arithmetic is off by microseconds.
    expect((await store.recentWaits(20)).map(Math.round)).toEqual([75, 30]);
    expect((await store.recentWaits(1)).map(Math.round)).toEqual([75]);
  });

  it('tells each place in line once: a claim of the same position again is refused', async () => {
    const other = await twin(store, clock);
    const record = await store.create(request('c1'));
    const claims = await Promise.all([store.claimToldPosition(record.id, 1), other.claimToldPosition(record.id, 1)]);
    expect(claims.sort()).toEqual([false, true]);
    expect((await store.get(record.id))?.toldPosition).toBe(1);
    expect(await other.claimToldPosition(record.id, 2)).toBe(true);
    expect(await store.claimToldPosition(record.id, 1)).toBe(true);
    expect(await store.claimToldPosition('no-such-id', 1)).toBe(false);
    expect(await store.get('no-such-id')).toBeUndefined();
  });

  it('keeps the reference, outcome, left messages (newest first), notes and audit', async () => {
    const a = await store.create(request('c1', 'Ann'));
    clock.advance(1);
    const b = await store.create(request('c2', 'Ben'));
    await store.setReference(a.id, { serviceUrl: 'http://127.0.0.1:2/', conversation: { id: 'c1' } as never });
    await store.setOutcome(a.id, 'solved');
    await store.transition(a.id, ['waiting'], 'timed_out');
    await store.transition(b.id, ['waiting'], 'no_agents');
    await store.setLeftMessage(a.id, 'call me');
    await store.setLeftMessage(b.id, '');
    expect(await store.get(a.id)).toMatchObject({ reference: { serviceUrl: 'http://127.0.0.1:2/' }, outcome: 'solved', leftMessage: 'call me' });
    expect((await store.withLeftMessages()).map((r) => [r.userName, r.leftMessage])).toEqual([['Ben', ''], ['Ann', 'call me']]);
    await store.addNote(a.id, { agent: 'Alex', text: 'first', at: '2026-03-02T10:05:00.000Z' });
    await store.addNote(a.id, { agent: 'Sam', text: 'second <b>', at: '2026-03-02T10:06:00.000Z' });
    expect(await store.notes(a.id)).toEqual([
      { agent: 'Alex', text: 'first', at: '2026-03-02T10:05:00.000Z' },
      { agent: 'Sam', text: 'second <b>', at: '2026-03-02T10:06:00.000Z' },
    ]);
    expect(await store.notes(b.id)).toEqual([]);
    await store.audit(a.id, 'note', 'console:Alex');
    await store.audit(a.id, 'timed_out', 'desk', 'timeout');
    expect((await store.auditLog(a.id)).map((e) => [e.event, e.actor, e.detail])).toEqual([
      ['requested', 'user', undefined],
      ['note', 'console:Alex', undefined],
      ['timed_out', 'desk', 'timeout'],
    ]);
    // Changes to a record that does not exist change nothing.
    await store.setOutcome('no-such-id', 'solved');
    await store.setLeftMessage('no-such-id', 'x');
    await store.setReference('no-such-id', {});
    expect(await store.get('no-such-id')).toBeUndefined();
    expect(await store.withLeftMessages()).toHaveLength(2);
  });

  it('forgets the left message and the summary\'s quotes on "delete my data", keeping states and times', async () => {
    const record = await store.create(request('c1'));
    await store.transition(record.id, ['waiting'], 'no_agents');
    await store.setLeftMessage(record.id, 'please call me back');
    expect(await store.forgetUserText('c1')).toBe(1);
    const after = (await store.get(record.id))!;
    expect(after.leftMessage).toBeUndefined();
    expect(after.summary).toMatchObject({ firstMessage: '', lastUserMessages: [], fixesTried: [{ fix: 'icloud-access', steps: [], outcome: 'not solved' }] });
    expect(after).toMatchObject({ state: 'no_agents', requestedAt: record.requestedAt });
    expect(await store.withLeftMessages()).toEqual([]);
    expect(await store.forgetUserText('someone-else')).toBe(0);
  });

  it('finds the open hand-off of a conversation with an older closed one', async () => {
    const old = await store.create(request('c1'));
    await store.transition(old.id, ['waiting'], 'left');
    clock.advance(10);
    const current = await store.create(request('c1'));
    expect((await store.openFor('c1'))?.id).toBe(current.id);
    expect((await store.latestFor('c1'))?.id).toBe(current.id);
    await store.transition(current.id, ['waiting'], 'left');
    expect(await store.openFor('c1')).toBeUndefined();
  });
}

const ACCOUNTS = new Map<string, AgentAccount>([
  ['Alex', { name: 'Alex', role: 'agent', hash: 'scrypt$x$y' }],
  ['Sam', { name: 'Sam', role: 'admin', hash: 'scrypt$x$y' }],
]);

/**
 * What every console session store must do (SQLite, Redis). `fresh(now)`
 * gives an empty store whose clock is `now`; `twin` another handle on the
 * same sessions (another instance).
 */
export function describeSessionsContract(fresh: (now: () => number) => Promise<AgentSessions>, twin: (sessions: AgentSessions, now: () => number) => Promise<AgentSessions> = async (s) => s): void {
  let t: number;
  const now = () => t;
  let sessions: AgentSessions;
  beforeEach(async () => {
    t = Date.parse('2026-03-02T10:00:00.000Z');
    sessions = await fresh(now);
  });

  it('signs in with a 43-character cookie value that another instance knows too, until it expires', async () => {
    const { id, expiresAt } = await sessions.create(ACCOUNTS.get('Sam')!);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(t + SESSION_HOURS * 3600_000);
    const other = await twin(sessions, now);
    expect(await other.lookup(id, ACCOUNTS)).toEqual({ kind: 'valid', agent: { id: 'console:Sam', name: 'Sam', role: 'admin', via: 'console' } });
    t = expiresAt;
    expect(await other.lookup(id, ACCOUNTS)).toEqual({ kind: 'expired' });
  });

  it('does not know forged or malformed ids, ended sessions, or removed accounts', async () => {
    const { id } = await sessions.create(ACCOUNTS.get('Alex')!);
    expect(await sessions.lookup('x'.repeat(43), ACCOUNTS)).toEqual({ kind: 'unknown' });
    expect(await sessions.lookup('not a session', ACCOUNTS)).toEqual({ kind: 'unknown' });
    expect(await sessions.lookup(id, new Map([['Sam', ACCOUNTS.get('Sam')!]]))).toEqual({ kind: 'unknown' });
    const other = await twin(sessions, now);
    await other.end(id);
    expect(await sessions.lookup(id, ACCOUNTS)).toEqual({ kind: 'unknown' });
    await sessions.end('never-issued');
  });
}

/** What every sign-in throttle must do (memory, Redis); `twin` another instance counting the same failures (or the same one). */
export function describeThrottleContract(fresh: (now: () => number) => Promise<LoginThrottle>, twin: (throttle: LoginThrottle, now: () => number) => Promise<LoginThrottle> = async (s) => s): void {
  let t: number;
  const now = () => t;
  let throttle: LoginThrottle;
  beforeEach(async () => {
    t = Date.parse('2026-03-02T10:00:00.000Z');
    throttle = await fresh(now);
  });

  it('refuses a name after five failures (counted over both instances) until the window has passed', async () => {
    const other = await twin(throttle, now);
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await (i % 2 ? other : throttle).retryAfter('10.0.0.1', 'Alex')).toBe(0);
      await (i % 2 ? other : throttle).failed('10.0.0.1', 'Alex');
      t += 1000;
    }
    expect(await throttle.retryAfter('10.0.0.1', 'Alex')).toBe(WINDOW_MS / 1000 - MAX_FAILURES);
    expect(await other.retryAfter('10.0.0.1', 'Alex')).toBe(WINDOW_MS / 1000 - MAX_FAILURES);
    // Another name from the same address, or the same name from elsewhere, may still try.
    expect(await other.retryAfter('10.0.0.1', 'Sam')).toBe(0);
    expect(await other.retryAfter('10.0.0.2', 'Alex')).toBe(0);
    t += WINDOW_MS - MAX_FAILURES * 1000 + 1000;
    expect(await throttle.retryAfter('10.0.0.1', 'Alex')).toBe(0);
  });

  it('refuses an address after twenty failures whatever the names; a success clears only its name', async () => {
    for (let i = 0; i < MAX_FAILURES * 4; i++) await throttle.failed('10.0.0.3', `name${i % 4}`);
    expect(await throttle.retryAfter('10.0.0.3', 'someone-new')).toBeGreaterThan(0);
    await throttle.failed('10.0.0.4', 'Alex');
    await throttle.failed('10.0.0.4', 'Alex');
    await throttle.succeeded('10.0.0.4', 'Alex');
    for (let i = 0; i < MAX_FAILURES - 1; i++) await throttle.failed('10.0.0.4', 'Alex');
    expect(await throttle.retryAfter('10.0.0.4', 'Alex')).toBe(0);
  });
}
