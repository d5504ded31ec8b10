import { DEFAULT_LIMITS, resolveLimits } from '../../src/channels/directline/limits';

it('the defaults are what the README quotes, and keep their promise: 1,000 × 128 KiB, 32 MiB in all', () => {
  expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
  expect(DEFAULT_LIMITS).toMatchObject({ maxConversations: 1000, maxActivitiesPerConversation: 500, maxConversationBytes: 128 * 1024, maxTotalBytes: 32 * 1024 * 1024, maxActivityBytes: 64 * 1024, turnConcurrency: 16, turnQueue: 200 });
});

it('refuses limits that could not be kept: conversations with a turn in progress must fit in both caps', () => {
  expect(() => resolveLimits({ maxConversations: 100 })).toThrow(/maxConversations/);
  expect(() => resolveLimits({ maxTotalBytes: 1024 * 1024 })).toThrow(/maxTotalBytes/);
  expect(() => resolveLimits({ maxConversationBytes: 100 * 1024 })).toThrow(/2 × maxActivityBytes/);
  expect(() => resolveLimits({ turnQueue: 0 })).toThrow(/turnQueue/);
  expect(resolveLimits({ maxConversations: 4, turnConcurrency: 1, turnQueue: 2 }).maxConversations).toBe(4);
});
