import { loadConfig } from '../../src/config';
import { parseAgentAccounts, hashPassword, verifyPassword } from '../../src/handoff/agent-accounts';
import { parseSupportHours } from '../../src/handoff/support-hours';
import { estimateWaitSeconds } from '../../src/handoff/wait-estimate';

describe('SUPPORT_HOURS', () => {
  const hours = parseSupportHours('Mon-Fri 09:00-17:00 Europe/London');
  test.each([
    ['2026-11-23T09:00:00Z', true], // Monday 09:00 in London (GMT)
    ['2026-11-23T08:59:00Z', false],
    ['2026-11-27T16:59:00Z', true], // Friday
    ['2026-11-27T17:00:00Z', false],
    ['2026-11-28T12:00:00Z', false], // Saturday
    ['2026-07-06T08:30:00Z', true], // Monday 09:30 in London (BST)
    ['2026-07-06T16:30:00Z', false], // 17:30 BST
  ])('at %s open is %s', (at, open) => {
    expect(hours.isOpen(new Date(at))).toBe(open);
  });

  test('empty is always open; windows may wrap the week and be several', () => {
    expect(parseSupportHours('').isOpen(new Date('2026-11-28T03:00:00Z'))).toBe(true);
    const weekend = parseSupportHours('Sat-Sun 10:00-14:00 UTC; Fri 20:00-22:00 UTC');
    expect(weekend.isOpen(new Date('2026-11-29T11:00:00Z'))).toBe(true); // Sunday
    expect(weekend.isOpen(new Date('2026-11-27T21:00:00Z'))).toBe(true); // Friday evening
    expect(weekend.isOpen(new Date('2026-11-26T11:00:00Z'))).toBe(false); // Thursday
  });

  test.each(['Mon-Fri 9-17 Europe/London', 'Mon-Fri 17:00-09:00 UTC', 'Mon-Fri 09:00-17:00 Mars/Olympus', 'Funday 09:00-17:00 UTC'])('"%s" stops the bot at start-up', (value) => {
    expect(() => loadConfig({ SUPPORT_HOURS: value })).toThrow(/SUPPORT_HOURS/);
  });
});

describe('AGENT_ACCOUNTS', () => {
  test('a hash from agent:hash verifies its password and no other', async () => {
    const hash = hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(parseAgentAccounts(`alex:agent:${hash}, sam:admin:${hash}`).map((a) => [a.name, a.role])).toEqual([['alex', 'agent'], ['sam', 'admin']]);
  });

  test.each(['alex:agent:plaintext', 'alex:boss:scrypt$00$00', 'al ex:agent:x'])('"%s" stops the bot at start-up', (value) => {
    expect(() => loadConfig({ AGENT_ACCOUNTS: value })).toThrow(/AGENT_ACCOUNTS/);
  });
});

test('the usual wait is the median of recent waits times the place in line', () => {
  expect(estimateWaitSeconds([], 1)).toBe(180);
  expect(estimateWaitSeconds([120, 600, 240], 2)).toBe(480);
  expect(estimateWaitSeconds([5], 1)).toBe(60);
});
