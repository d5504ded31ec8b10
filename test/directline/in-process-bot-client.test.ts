/**
 * The built-in Direct Line's in-process hand-over to the bot: what reaches
 * the turn runner, and that every way a turn can fail is DL_BOT_UNAVAILABLE,
 * as over HTTP.
 */
import { createInProcessBotClient } from '../../src/channels/directline/bot-client';
import { HttpError } from '../../src/server/http-error';

const activity = { type: 'message', text: 'hi', conversation: { id: 'c' }, timestamp: new Date(0) as unknown as string, channelData: undefined };

it('hands the bot a wire copy of the activity (what JSON would carry), not the object the service keeps', async () => {
  const got: Array<Record<string, unknown>> = [];
  const client = createInProcessBotClient({ deliver: async (a) => (got.push(a), { status: 200 }), timeoutMs: 1000 });
  await client.post(activity);
  expect(got).toEqual([{ type: 'message', text: 'hi', conversation: { id: 'c' }, timestamp: '1970-01-01T00:00:00.000Z' }]);
  expect(got[0]!.conversation).not.toBe(activity.conversation);
});

it.each([
  ['answers 503', async () => ({ status: 503 }), /answered 503/],
  ['throws', async () => Promise.reject(new Error('state store down')), /state store down/],
  ['takes longer than the timeout', () => new Promise<{ status: number }>(() => undefined), /longer than 50 ms/],
])('a turn that %s is DL_BOT_UNAVAILABLE, with the reason as its cause', async (_name, deliver, reason) => {
  const client = createInProcessBotClient({ deliver, timeoutMs: 50 });
  const error = await client.post(activity).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).code).toBe('DL_BOT_UNAVAILABLE');
  expect(String((error as Error).cause)).toMatch(reason);
});
