/** Replies to a channel served by this process go to it as calls: what it receives, and what it refuses. */
import { inProcessConnectorClient, servesUrl } from '../../src/server/in-process-connector';
import type { InProcessChannel } from '../../src/server/in-process-connector';

function channel(url: string | undefined) {
  const received: Array<{ conversationId: string; activity: Record<string, unknown>; replyToId?: string }> = [];
  const c: InProcessChannel = {
    serviceUrl: () => url,
    receive: async (conversationId, activity, replyToId) => {
      received.push({ conversationId, activity, ...(replyToId ? { replyToId } : {}) });
      return { id: `${conversationId}|${received.length}` };
    },
  };
  return { c, received };
}

it('serves its own serviceUrl only, trailing slashes aside, and nothing before its URL is known', () => {
  const { c } = channel('http://127.0.0.1:3978/directline-connector/key');
  expect(servesUrl(c, 'http://127.0.0.1:3978/directline-connector/key/')).toBe(true);
  expect(servesUrl(c, 'http://127.0.0.1:3978/directline-connector/other')).toBe(false);
  expect(servesUrl(c, 'http://127.0.0.1:3979/directline-connector/key')).toBe(false);
  expect(servesUrl(channel(undefined).c, 'http://127.0.0.1:3978/directline-connector/key')).toBe(false);
});

it('hands replies and sends over as wire copies and returns the id the channel gave', async () => {
  const { c, received } = channel('http://x/dl');
  const client = inProcessConnectorClient(c);
  const reply = { type: 'message', text: 'hello', timestamp: new Date(0), replyToId: 'a1' };
  await expect(client.conversations.replyToActivity('conv', 'a1', reply as never)).resolves.toEqual({ id: 'conv|1' });
  await expect(client.conversations.sendToConversation('conv', { type: 'typing' } as never)).resolves.toEqual({ id: 'conv|2' });
  expect(received).toEqual([
    { conversationId: 'conv', activity: { type: 'message', text: 'hello', timestamp: '1970-01-01T00:00:00.000Z', replyToId: 'a1' }, replyToId: 'a1' },
    { conversationId: 'conv', activity: { type: 'typing' } },
  ]);
});

it('refuses what the connector route does not offer, as an error the adapter passes on', async () => {
  const client = inProcessConnectorClient(channel('http://x/dl').c);
  await expect(client.conversations.updateActivity('conv', 'a1', { type: 'message' } as never)).rejects.toThrow(/does not support updating/);
  await expect(client.conversations.deleteActivity('conv', 'a1')).rejects.toThrow(/does not support deleting/);
});
