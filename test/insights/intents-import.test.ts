import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadIntents } from '../../src/content/load-intents';
import { SqliteInsightsStore } from '../../src/insights/sqlite-insights-store';
import { importLabelled } from '../../src/insights/intents-import';
import { createNlu, DEFAULT_THRESHOLDS } from '../../src/nlu';

const INTENTS_DIR = join(__dirname, '..', '..', 'intents');
// Made-up wording of the kind a reviewer would label (the bot read it as delete_old_backup at 0.46 when written).
const NEW_WORDING = 'turn the clips off from the cloud copy';

describe('importing labelled inbox messages into intents/', () => {
  let dir: string;
  let db: Database.Database;
  let store: SqliteInsightsStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'intents-import-'));
    cpSync(INTENTS_DIR, dir, { recursive: true });
    db = new Database(':memory:');
    store = new SqliteInsightsStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const label = async (text: string, intent: string): Promise<void> => {
    await store.addToInbox({ conversation: 'c', text, reason: 'below_route', readings: [{ name: 'none', confidence: 0.4 }] });
    const item = (await store.inbox('open'))[0]!;
    await store.review(item.id, { label: intent, by: 'reviewer' });
  };

  it('appends accepted messages to the intent file, keeps its comments, and the next training understands them', async () => {
    await label(NEW_WORDING, 'exclude_videos');
    const before = readFileSync(join(dir, 'exclude_videos.yaml'), 'utf8');
    const outcome = await importLabelled(store, dir);
    expect(outcome.imported).toEqual([expect.objectContaining({ intent: 'exclude_videos', text: NEW_WORDING })]);
    const after = readFileSync(join(dir, 'exclude_videos.yaml'), 'utf8');
    expect(after.startsWith(before.split('examples:')[0]!)).toBe(true);
    expect(after.trimEnd().endsWith(`- ${NEW_WORDING}`)).toBe(true);
    expect(await store.inbox('imported')).toHaveLength(1);
    const retrained = createNlu(loadIntents(dir));
    const reading = retrained.parse(NEW_WORDING).intent;
    expect(reading.name).toBe('exclude_videos');
    expect(reading.confidence).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.route);
  });

  it('refuses duplicates, unknown intents and redacted text, and leaves them labelled', async () => {
    const existing = loadIntents(dir).find((g) => g.intent === 'thanks')!.examples[0]!;
    await label(existing.toUpperCase(), 'thanks');
    await label('please call me on +44 7700 900123', 'human_agent');
    await label('whatever this is', 'not_an_intent');
    const outcome = await importLabelled(store, dir);
    expect(outcome.imported).toEqual([]);
    expect(outcome.refused.map((r) => r.reason).sort()).toEqual(['"not_an_intent" is not an intent', 'already an example', 'personal data was redacted out of it']);
    expect(await store.inbox('labelled')).toHaveLength(3);
  });

  it('refuses to import into a folder that does not load, changing nothing', async () => {
    await label(NEW_WORDING, 'backup_not_working');
    writeFileSync(join(dir, 'cancel.yaml'), 'version: 1\nintent: cancel\nexamples: [a]\n');
    const before = readFileSync(join(dir, 'backup_not_working.yaml'), 'utf8');
    await expect(importLabelled(store, dir)).rejects.toThrow();
    expect(readFileSync(join(dir, 'backup_not_working.yaml'), 'utf8')).toBe(before);
    expect(await store.inbox('labelled')).toHaveLength(1);
  });
});
