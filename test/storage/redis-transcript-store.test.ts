import type { Activity } from 'botbuilder-core';
import { RedisTranscriptStore } from '../../src/storage/redis-transcript-store';
import { useTestRedis } from '../support/redis-server';
import { describeTranscriptStoreContract } from './transcript-store-contract';

describe('RedisTranscriptStore (a real redis-server of its own)', () => {
  const { client, freshPrefix } = useTestRedis();

  describe('the transcript store contract', () => {
    // Each test gets its own prefix: an empty store without flushing the server.
    describeTranscriptStoreContract(async () => new RedisTranscriptStore(client(), freshPrefix()));
  });

  it('shows one instance what another logged, and lets it delete it', async () => {
    const prefix = freshPrefix('pair');
    const [a, b] = [new RedisTranscriptStore(client(), prefix), new RedisTranscriptStore(client(), prefix)];
    const say = (store: RedisTranscriptStore, text: string) => store.logActivity({ type: 'message', text, channelId: 'test', conversation: { id: 'c' }, from: { id: 'u' } } as Activity);
    await say(a, 'on A');
    await say(b, 'on B');
    await say(a, 'on A again');
    expect((await b.activities('c')).map((x) => x.text)).toEqual(['on A', 'on B', 'on A again']);
    await b.deleteTranscript('test', 'c');
    expect(await a.activities('c')).toEqual([]);
  });
});
