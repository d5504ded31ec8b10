import { randomUUID } from 'node:crypto';
import { LoopbackChannel } from '../../src/channels/loopback';
import { fill } from '../../src/dialogs/text';
import { Conversation, messagesText, readContent } from '../integration/harness';
import type { FixYaml, Turn } from '../integration/harness';
import { useBotCluster } from '../support/bot-cluster';

/**
 * Three real bot processes on one redis-server (REDIS_URL): bot state, the
 * turn order and the de-duplication of retried activities are shared, so a
 * conversation may land on any instance at every turn.
 */
const text = messagesText();
const cluster = useBotCluster('state-instances', { instances: 3 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A conversation whose every turn goes to the instance the test names (a load balancer's choice). */
class Spread extends Conversation {
  async sayTo(instance: number, words: string, extra: Record<string, unknown> = {}): Promise<Turn> {
    const res = await this.channel.sendText(this.id, words, { id: randomUUID(), ...extra }, cluster().instances[instance]!.messages);
    return this.collect(res, `[${instance}]> ${words}`);
  }

  async joinAt(instance: number): Promise<Turn> {
    const res = await this.channel.send(
      { type: 'conversationUpdate', conversation: { id: this.id }, from: { id: 'user-1' }, membersAdded: [{ id: 'user-1' }, { id: 'bot' }] } as never,
      cluster().instances[instance]!.messages,
    );
    return this.collect(res, `[${instance}] [join]`);
  }
}

const SAYINGS = {
  done: ['done', 'ok did that', 'yep, done that', 'all done', 'finished that step'],
  worked: ['yes it worked!!'],
  noRating: ['nah'],
};

let channel: LoopbackChannel;
beforeAll(async () => {
  // Replies come back to the channel's own connector, whichever instance made them.
  channel = await LoopbackChannel.start({ botEndpoint: cluster().instances[0]!.messages });
});
afterAll(async () => {
  await channel?.close();
});

describe('bot state on Redis, shared by three instances', () => {
  test('one conversation alternating between the instances turn by turn walks a whole fix, typed, and is told which fix did it', async () => {
    const videos = readContent<FixYaml>('exclude-videos.yaml');
    const c = new Spread(channel);
    const welcome = await c.joinAt(0);
    expect(welcome.text.length).toBeGreaterThan(0);
    let turn = await c.sayTo(1, 'backup always gets stuck on the videos');
    expect(turn.text).toContain(videos.intro);
    let n = 2;
    const counter = { done: 0 };
    for (let guard = 0; guard < 40 && turn.buttons.length > 0; guard++, n++) {
      let words: string;
      if (turn.buttons.includes(text.csat_skip!)) words = SAYINGS.noRating[0]!;
      else if (turn.buttons.includes(text.verify_yes!)) words = SAYINGS.worked[0]!;
      else if (turn.buttons.includes(text.choice_done!)) words = SAYINGS.done[counter.done++ % SAYINGS.done.length]!;
      else throw new Error(`the test does not know what to say to:\n${c.dump()}`);
      turn = await c.sayTo(n % 3, words);
      expect(turn.status).toBe(200);
      // Every turn answered once, never with the apology or a repeated step prompt.
      expect(turn.text.length).toBeGreaterThan(0);
      expect(turn.text).not.toContain(text.error);
      expect(turn.text).not.toContain(text.step_reprompt);
    }
    const transcript = c.dump();
    expect(transcript).toContain(fill(text.solved!, { title: videos.title }));
    expect(turn.text).toBe(text.csat_skipped);
    // Each step of the fix was shown exactly once, whichever instance showed it.
    for (const step of videos.steps.filter((s) => s.say)) {
      const first = step.say!.split('\n')[0]!.trim().slice(0, 40);
      expect(transcript.split(first).length - 1).toBe(1);
    }
    // All three instances took part.
    for (const i of [0, 1, 2]) expect(transcript).toContain(`[${i}]>`);
  });

  test('two messages sent at once to two instances are processed one after the other, in the order they arrived', async () => {
    let overlapped = 0;
    for (let round = 0; round < 5 && overlapped < 2; round++) {
      // The same two messages one after the other on one instance: what the order must give.
      const control = new Spread(channel);
      await control.joinAt(2);
      const expectedFirst = await control.sayTo(2, 'backup always gets stuck on the videos');
      const expectedSecond = await control.sayTo(2, 'done');

      const c = new Spread(channel);
      await c.joinAt(2);
      let firstAnswered = 0;
      let secondSent = 0;
      const first = c.channel.sendText(c.id, 'backup always gets stuck on the videos', { id: randomUUID() }, cluster().instances[0]!.messages).then((r) => {
        firstAnswered = Date.now();
        return r;
      });
      await sleep(3);
      secondSent = Date.now();
      const second = c.channel.sendText(c.id, 'done', { id: randomUUID() }, cluster().instances[1]!.messages);
      await Promise.all([first, second]);
      if (firstAnswered > secondSent) overlapped++;
      const got = c.collect({ status: 200, body: '' });
      expect(got.text).toBe(`${expectedFirst.text}\n${expectedSecond.text}`);
    }
    // The two were really in flight together (else the order proves nothing).
    expect(overlapped).toBeGreaterThan(0);
  });

  test('a retried activity id is processed once, whether the retry reaches another instance later or at the same time', async () => {
    const c = new Spread(channel);
    await c.joinAt(0);
    const id = randomUUID();
    const answered = await c.sayTo(0, 'backup always gets stuck on the videos', { id });
    expect(answered.text.length).toBeGreaterThan(0);
    const retried = await c.sayTo(1, 'backup always gets stuck on the videos', { id });
    expect(retried.status).toBe(200);
    expect(retried.activities).toEqual([]);

    // The same activity delivered to two instances at the same moment: one of them answers.
    const twice = randomUUID();
    const both = await Promise.all([1, 2].map((i) => c.channel.sendText(c.id, 'done', { id: twice }, cluster().instances[i]!.messages)));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const control = new Spread(channel);
    await control.joinAt(0);
    await control.sayTo(0, 'backup always gets stuck on the videos');
    const once = await control.sayTo(0, 'done');
    expect(c.collect({ status: 200, body: '' }).text).toBe(once.text);
  });

  test('an instance killed (kill -9) mid-conversation: the user carries on at another, nothing lost or repeated, and a retry of its last message is not processed again', async () => {
    const control = new Spread(channel);
    await control.joinAt(0);
    const expected = [await control.sayTo(0, 'backup always gets stuck on the videos'), await control.sayTo(0, 'done'), await control.sayTo(0, 'done')].map((t) => t.text);

    const c = new Spread(channel);
    await c.joinAt(2);
    const id = randomUUID();
    const got = [(await c.sayTo(2, 'backup always gets stuck on the videos')).text, (await c.sayTo(2, 'done', { id })).text];
    await cluster().kill(2);
    // The channel did not hear back in time and retries the last activity elsewhere: already done, so dropped.
    const retry = await c.sayTo(0, 'done', { id });
    expect(retry.activities).toEqual([]);
    got.push((await c.sayTo(1, 'done')).text);
    expect(got).toEqual(expected);
    await cluster().restart(2);
  });

  test('/readyz answers 503 while Redis is unreachable and 200 once it is back; a message meanwhile is answered with a clear "try again" and the bot carries on afterwards', async () => {
    const { instances, redis } = cluster();
    for (const i of instances) expect((await fetch(`${i.url}/readyz`)).status).toBe(200);
    const c = new Spread(channel);
    await c.joinAt(0);
    await redis.kill();
    try {
      for (const i of instances) expect((await fetch(`${i.url}/readyz`)).status).toBe(503);
      const during = await c.sayTo(1, 'backup always gets stuck on the videos');
      expect(during.status).toBe(200);
      expect(during.text).toBe(text.store_unavailable);
    } finally {
      await redis.restart();
    }
    // Each instance reconnects by itself.
    for (const i of instances) {
      const deadline = Date.now() + 15_000;
      let status = 0;
      while ((status = (await fetch(`${i.url}/readyz`)).status) !== 200 && Date.now() < deadline) await sleep(100);
      expect(status).toBe(200);
    }
    // This test server keeps nothing on disk, so the conversation starts afresh; it is answered normally again.
    const after = await c.sayTo(2, 'backup always gets stuck on the videos');
    expect(after.text).toContain(readContent<FixYaml>('exclude-videos.yaml').intro);
    expect(instances[1]!.log()).toContain('the shared store is unreachable');
  });
});
