import { Conversation, messagesText, readContent, startBot } from './harness';
import type { FixYaml, RunningBot } from './harness';
import { startFlakyConnector } from '../support/flaky-connector';
import type { FlakyConnector } from '../support/flaky-connector';

const text = messagesText();
const steps = readContent<FixYaml>('icloud-access.yaml').steps;
const [openIcloud, icloudDrive, showAll] = [steps[0]!.say!, steps[1]!.say!, steps[2]!.say!];

/**
 * The channel's connector fails while the bot answers: the connector client
 * retries with backoff, and a turn whose replies never get through is rolled
 * back rather than erasing the user's progress.
 */
describe('a channel outage in the middle of a fix', () => {
  let bot: RunningBot;
  let connector: FlakyConnector;

  beforeAll(async () => {
    bot = await startBot();
    connector = await startFlakyConnector(bot.channel.serviceUrl);
  });
  afterAll(async () => {
    await connector?.close();
    await bot?.close();
  });
  afterEach(() => connector.recover());

  /** A conversation whose replies go through the flaky connector. */
  function conversation() {
    const c = new Conversation(bot.channel);
    const say = (words: string, id?: string) => c.say(words, { serviceUrl: connector.url, ...(id ? { id } : {}) });
    return { c, say };
  }

  test('a brief outage is ridden out: the reply is sent again and the turn completes', async () => {
    const { say } = conversation();
    expect((await say("whatsapp won't back up to icloud")).text).toContain(openIcloud);
    const before = connector.refused();
    connector.fail(2);
    const turn = await say(text.choice_done!);
    expect(connector.refused() - before).toBe(2);
    expect(turn.status).toBe(200);
    expect(turn.text).toContain(icloudDrive);
  });

  test('a long outage loses nothing: the turn is refused with 502 TURN_NOT_DELIVERED and the next message continues at the same step', async () => {
    const { say } = conversation();
    expect((await say("whatsapp won't back up to icloud")).text).toContain(openIcloud);

    connector.fail(Infinity);
    const lost = await say(text.choice_done!);
    expect(lost.status).toBe(502);
    expect(JSON.parse(lost.body)).toMatchObject({ error: { code: 'TURN_NOT_DELIVERED' } });
    expect(lost.text).toBe('');
    connector.recover();

    const next = await say(text.choice_done!);
    expect(next.status).toBe(200);
    expect(next.text).toContain(icloudDrive);
    expect(next.text).not.toContain(text.nothing_to_cancel);
    expect(next.text).not.toContain(text.error);
    expect((await say(text.choice_done!)).text).toContain(showAll);
  });

  test("the channel's redelivery of the refused activity is processed once, from the step the user was on", async () => {
    const { say } = conversation();
    await say("whatsapp won't back up to icloud");
    const id = `redelivered-${Date.now()}`;

    connector.fail(Infinity);
    expect((await say(text.choice_done!, id)).status).toBe(502);
    connector.recover();

    const redelivered = await say(text.choice_done!, id);
    expect(redelivered.text).toContain(icloudDrive);
    const again = await say(text.choice_done!, id);
    expect(again.status).toBe(200);
    expect(again.text).toBe('');
  });
});
