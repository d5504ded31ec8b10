import { join } from 'node:path';
import { Conversation, copyOfDialogs, messagesText, readContent, removeTempDirs, replaceInFile, startBot, tempDir } from './harness';
import type { FixYaml, RunningBot } from './harness';

const text = messagesText();
const access = readContent<FixYaml>('icloud-access.yaml');
const say = (stepId: string) => access.steps.find((s) => s.id === stepId)!.say!;
const STEP_BUTTONS = [text.choice_done, text.choice_cant_find, text.choice_already];

const running: RunningBot[] = [];
async function start(options: Parameters<typeof startBot>[0]): Promise<RunningBot> {
  const bot = await startBot(options);
  running.push(bot);
  return bot;
}

afterEach(async () => {
  for (const bot of running.splice(0)) {
    await bot.close();
    expect(bot.errors).toEqual([]);
  }
});
afterAll(() => removeTempDirs());

/** App A: opens a conversation and confirms the first two steps of fix 1, then stops. */
async function walkIntoFix1(options: { dataDir: string; dialogsDir?: string }): Promise<{ id: string; retryId: string }> {
  const a = await start(options);
  const c = new Conversation(a.channel);
  await c.join();
  await c.say("my whatsapp won't back up to icloud");
  await c.say(text.choice_done!);
  const retryId = `last-${c.id}`;
  const third = await c.say(text.choice_done!, { id: retryId });
  expect(third.text).toBe(say('show-all'));
  await a.close();
  return { id: c.id, retryId };
}

describe('conversation state lives in DATA_DIR and survives a restart', () => {
  test('after a restart on the same DATA_DIR, "Done" continues fix 1 at its next step (no welcome, no restart)', async () => {
    const dataDir = tempDir('integration-data-');
    const { id } = await walkIntoFix1({ dataDir });

    const b = await start({ dataDir });
    const turn = await new Conversation(b.channel, id).say(text.choice_done!);
    expect(turn.status).toBe(200);
    expect(turn.activities.map((x) => x.text)).toEqual([say('whatsapp-switch')]);
    expect(turn.buttons).toEqual(STEP_BUTTONS);
  });

  test('a channel retry of an activity processed before the restart is still recognised and dropped', async () => {
    const dataDir = tempDir('integration-data-');
    const { id, retryId } = await walkIntoFix1({ dataDir });

    const b = await start({ dataDir });
    const c = new Conversation(b.channel, id);
    const retry = await c.say(text.choice_done!, { id: retryId });
    expect(retry.status).toBe(200);
    expect(retry.activities).toEqual([]);
    expect((await c.say(text.choice_done!)).text).toBe(say('whatsapp-switch'));
  });

  test('a fresh DATA_DIR knows nothing of the conversation: "Done" is not taken as a step answer', async () => {
    const { id } = await walkIntoFix1({ dataDir: tempDir('integration-data-') });
    const b = await start({ dataDir: tempDir('integration-data-') });
    const turn = await new Conversation(b.channel, id).say(text.choice_done!);
    expect(turn.text).not.toContain(say('whatsapp-switch'));
  });
});

describe('content edited between runs', () => {
  test('when the running fix was edited, the bot says its instructions changed and restarts that fix from its first step', async () => {
    const dataDir = tempDir('integration-data-');
    const dialogsDir = copyOfDialogs();
    const { id } = await walkIntoFix1({ dataDir, dialogsDir });

    const edited = 'Go back to the iCloud screen and tap **Show All** (or **See All**) to see every app.';
    replaceInFile(join(dialogsDir, 'icloud-access.yaml'), 'Go back to the iCloud screen and open the full list of apps', edited);

    const b = await start({ dataDir, dialogsDir });
    const turn = await new Conversation(b.channel, id).say(text.choice_done!);
    // One message: the notice, the fix's opening and its first step again.
    const said = turn.activities.map((x) => x.text ?? '');
    expect(said).toHaveLength(1);
    expect(said[0]!.startsWith(text.content_changed!)).toBe(true);
    expect(said[0]!.endsWith(say('open-icloud'))).toBe(true);
    expect(turn.text).not.toContain(say('whatsapp-switch'));
    expect(turn.buttons).toEqual(STEP_BUTTONS);
  });

  test('when only another fix was edited, the conversation carries on undisturbed', async () => {
    const dataDir = tempDir('integration-data-');
    const dialogsDir = copyOfDialogs();
    const { id } = await walkIntoFix1({ dataDir, dialogsDir });

    replaceInFile(join(dialogsDir, 'manual-backup.yaml'), 'Open WhatsApp and go to', 'In WhatsApp, go to');

    const b = await start({ dataDir, dialogsDir });
    const turn = await new Conversation(b.channel, id).say(text.choice_done!);
    expect(turn.activities.map((x) => x.text)).toEqual([say('whatsapp-switch')]);
  });
});
