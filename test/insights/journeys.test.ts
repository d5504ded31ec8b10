/**
 * Insights over real HTTP: real journeys through the bot (loopback channel,
 * real classifier, SQLite) record every outcome kind, the funnel, the one
 * rating and the understanding inbox, with personal data redacted; the
 * figures equal the recorded events; "delete my data" removes what was written.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { computeFigures } from '../../src/insights/figures';
import type { StoredEvent } from '../../src/insights/insights-store';
import { importLabelled } from '../../src/insights/intents-import';
import { Conversation, messagesText, readContent, ROOT, startBot } from '../integration/harness';
import type { RunningBot } from '../integration/harness';

const text = messagesText();
const ALL_TIME = { since: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z' };

describe('insights recorded from real conversations', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  const key = (c: Conversation) => `emulator:${c.id}`;
  const events = (c: Conversation): Promise<StoredEvent[]> => bot.app.insights.events(key(c));
  const kinds = async (c: Conversation) => (await events(c)).map((e) => e.kind);

  /** Answers every step "done" and every "working now?" with "no", until the bot stops offering buttons or says `until`. */
  async function failEverything(c: Conversation, first: string, until: string): Promise<string> {
    let turn = await c.say(first);
    for (let guard = 0; guard < 200; guard++) {
      if (turn.text.includes(until) || turn.buttons.length === 0) return turn.text;
      const answer = turn.buttons.includes(text.verify_no!) ? 'no, still failing' : turn.buttons.includes(text.choice_done!) ? 'done' : turn.buttons[0]!;
      turn = await c.say(answer);
    }
    throw new Error(`the conversation did not end:\n${c.dump()}`);
  }

  test('a fix that works: resolved by that fix, its steps reached, one rating with its comment redacted, never asked twice', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    const started = await c.say('whatsapp says not enough icloud storage for the backup');
    expect(started.buttons.length).toBeGreaterThan(0);
    const solved = await c.say('oh wait, it works now!');
    expect(solved.text).toContain(text.csat_ask);
    expect(solved.buttons).toEqual(['1', '2', '3', '4', '5', text.csat_skip]);
    expect((await c.say('4')).text).toContain(text.csat_comment_ask);
    expect((await c.say('quick and clear. write to me at jane.doe@example.com or +44 7700 900123')).text).toContain(text.csat_thanks);

    expect(await kinds(c)).toEqual(['fix_started', 'step_reached', 'resolved']);
    expect((await events(c))[2]).toMatchObject({ kind: 'resolved', fix: 'icloud-storage' });
    const rating = (await bot.app.insights.csatIn(ALL_TIME)).find((r) => r.conversation === key(c))!;
    expect(rating).toMatchObject({ score: 4, after: 'fix', comment: 'quick and clear. write to me at [email] or [phone]' });

    // Another fix solved in the same conversation: no second question.
    await c.say('how do i back up whatsapp manually');
    const again = await c.say('it worked, thanks');
    expect(again.text).not.toContain(text.csat_ask);
  });

  test('"I can\'t find it" at a step is counted at that step; walking away there is abandoned at that step', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    await c.say('how do i back up whatsapp manually');
    const stepEvent = (await events(c)).find((e) => e.kind === 'step_reached')!;
    await c.say("i can't find it");
    expect((await events(c)).at(-1)).toMatchObject({ kind: 'cant_find', fix: stepEvent.fix, step: stepEvent.step });
    await bot.app.insights.markAbandoned(new Date(Date.now() + 60_000).toISOString());
    expect((await events(c)).at(-1)).toMatchObject({ kind: 'abandoned', fix: stepEvent.fix, step: stepEvent.step });
  });

  test('every fix failing is escalated; Android, out of scope and a hand-off are recorded as such', async () => {
    const escalated = new Conversation(bot.channel);
    await escalated.join();
    await failEverything(escalated, 'my whatsapp backup is not working', text.handoff_offer_escalation!);
    await escalated.say('no thanks');
    expect((await kinds(escalated)).filter((k) => k === 'fix_failed')).toHaveLength(8);
    expect(await kinds(escalated)).toContain('escalated');

    const android = new Conversation(bot.channel);
    await android.join();
    expect((await android.say('my samsung galaxy will not back up whatsapp')).text).toContain(text.android);
    expect(await kinds(android)).toEqual(['android']);

    const weather = new Conversation(bot.channel);
    await weather.join();
    await weather.say("what's the weather like in paris tomorrow");
    expect(await kinds(weather)).toEqual(['out_of_scope']);

    const person = new Conversation(bot.channel);
    await person.join();
    await person.say('talk to a person');
    await person.say('yes please');
    expect(await kinds(person)).toEqual(['handed_off']);
  });

  test('messages the bot did not understand reach the inbox, a rephrasing marks them, and the figures equal the events', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    // Vague enough that the classifier's best reading is under the ask threshold (checked when written).
    expect((await c.say("it's the thing")).text).toContain(text.fallback);
    await c.say('my whatsapp chats are not backing up to icloud');
    const item = (await bot.app.insights.inbox('open')).find((i) => i.conversation === key(c))!;
    expect(item).toMatchObject({ text: "it's the thing", reason: 'rephrased' });
    expect(item.readings[0]!.name).toBe('backup_not_working');

    // Between the thresholds: the bot asks which was meant, and the message is kept as "unsure".
    const unsure = new Conversation(bot.channel);
    await unsure.join();
    expect((await unsure.say('purple elephant backup storage restart')).text).toContain(text.clarify);
    expect((await bot.app.insights.inbox('open')).find((i) => i.conversation === key(unsure))).toMatchObject({ reason: 'below_route' });

    const all = await bot.app.insights.eventsIn(ALL_TIME);
    const lastOutcome = new Map<string, string>();
    for (const e of all) if (['resolved', 'escalated', 'handed_off', 'abandoned', 'out_of_scope', 'android'].includes(e.kind)) lastOutcome.set(e.conversation, e.kind);
    const count = (kind: string) => [...lastOutcome.values()].filter((k) => k === kind).length;
    const figures = await computeFigures(bot.app.insights, ALL_TIME);
    expect(figures.outcomes).toEqual({
      resolved: count('resolved'),
      escalated: count('escalated'),
      handed_off: count('handed_off'),
      abandoned: count('abandoned'),
      out_of_scope: count('out_of_scope'),
      android: count('android'),
    });
    expect(figures.outcomes.resolved).toBeGreaterThanOrEqual(1);
    expect(figures.conversations).toBe(new Set(all.map((e) => e.conversation)).size);
    expect(figures.csat.answers).toBe(1);
  });

  test('the stored transcript holds no e-mail or phone number the user typed, and "delete my data" removes what they wrote', async () => {
    const c = new Conversation(bot.channel);
    await c.join();
    await c.say('hi, i am jane.doe@example.com, phone 07700 900123');
    await c.say("it's the thing"); // not understood: into the inbox
    const db = new Database(join(bot.dataDir, 'state.sqlite'), { readonly: true });
    const stored = () => db.prepare('SELECT json FROM transcript_activities WHERE conversation_id = ?').all(c.id).map((r) => (r as { json: string }).json).join('\n');
    try {
      expect(stored()).toContain('[email]');
      expect(stored()).not.toContain('jane.doe@example.com');
      expect(stored()).not.toContain('07700 900123');
      expect((await bot.app.insights.inbox('open')).some((i) => i.conversation === key(c))).toBe(true);

      expect((await c.say('Delete my data!')).text).toBe(text.data_deleted);
      expect(stored()).not.toContain('hi, i am');
      expect(stored()).not.toContain("it's the thing");
      expect((await bot.app.insights.inbox('open')).some((i) => i.conversation === key(c))).toBe(false);
    } finally {
      db.close();
    }
  });
});

describe('the understanding inbox, round trip', () => {
  // Written for this test; the bot was unsure of it (exclude_videos 0.49, delete_old_backup 0.30) when written.
  const UNSURE = 'turn the clips off from the cloud copy';

  test('a message the bot was unsure of is labelled, imported into intents/, and understood after a restart', async () => {
    const intentsDir = mkdtempSync(join(tmpdir(), 'intents-'));
    cpSync(join(ROOT, 'intents'), intentsDir, { recursive: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'inbox-round-trip-'));
    const videosIntro = readContent<{ intro: string }>('exclude-videos.yaml').intro;
    let bot = await startBot({ dataDir, env: { INTENTS_DIR: intentsDir } });
    try {
      const c = new Conversation(bot.channel);
      await c.join();
      expect((await c.say(UNSURE)).text).toContain(text.clarify);
      const item = (await bot.app.insights.inbox('open')).find((i) => i.text === UNSURE)!;
      expect(item.reason).toBe('below_route');
      expect(await bot.app.insights.review(item.id, { label: 'exclude_videos', by: 'reviewer' })).toBe(true);
      expect((await importLabelled(bot.app.insights, intentsDir)).imported).toEqual([expect.objectContaining({ intent: 'exclude_videos', text: UNSURE })]);
      await bot.close();

      bot = await startBot({ dataDir, env: { INTENTS_DIR: intentsDir } });
      const again = new Conversation(bot.channel);
      await again.join();
      expect((await again.say(UNSURE)).text).toContain(videosIntro);
    } finally {
      await bot.close();
      rmSync(intentsDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
