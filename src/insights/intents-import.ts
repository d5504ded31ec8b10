import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { foldExample, loadIntents } from '../content/load-intents';
import { INTENTS } from '../nlu/types';
import type { IntentName } from '../nlu/types';
import type { InsightsStore } from './insights-store';
import { REDACTED } from '../privacy/redact';

export interface ImportOutcome {
  imported: { id: number; intent: IntentName; text: string }[];
  refused: { id: number; text: string; reason: string }[];
}

const REDACTION_MARKS = Object.values(REDACTED);

/**
 * Writes the inbox messages a reviewer labelled into intents/<intent>.yaml
 * (appended to `examples`, comments and layout kept), so the next start
 * trains on them. Refused, and left labelled: an unknown intent, an example
 * already present under any intent, text that had personal data redacted
 * out of it. The folder is validated after writing exactly as at start-up;
 * if it no longer loads, every file is put back and nothing is marked.
 */
export async function importLabelled(store: InsightsStore, intentsDir: string): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: [], refused: [] };
  const seen = new Set(loadIntents(intentsDir).flatMap((group) => group.examples.map(foldExample)));
  const additions = new Map<IntentName, string[]>();

  for (const item of (await store.inbox('labelled', 10_000)).reverse()) {
    const text = item.text.trim();
    const intent = INTENTS.find((name) => name === item.label);
    const refuse = (reason: string): void => void outcome.refused.push({ id: item.id, text, reason });
    if (!intent) refuse(`"${item.label}" is not an intent`);
    else if (REDACTION_MARKS.some((mark) => text.includes(mark))) refuse('personal data was redacted out of it');
    else if (seen.has(foldExample(text))) refuse('already an example');
    else {
      seen.add(foldExample(text));
      additions.set(intent, [...(additions.get(intent) ?? []), text]);
      outcome.imported.push({ id: item.id, intent, text });
    }
  }
  if (outcome.imported.length === 0) return outcome;

  const originals = new Map<string, string>();
  try {
    for (const [intent, texts] of additions) {
      const file = join(intentsDir, `${intent}.yaml`);
      const source = readFileSync(file, 'utf8');
      originals.set(file, source);
      const doc = parseDocument(source);
      const examples = doc.get('examples', true);
      if (!isSeq(examples)) throw new Error(`${file}: examples is not a list`);
      for (const text of texts) examples.add(doc.createNode(text));
      writeFileSync(file, doc.toString({ lineWidth: 0 }));
    }
    loadIntents(intentsDir);
  } catch (error) {
    for (const [file, source] of originals) writeFileSync(file, source);
    throw error;
  }
  await store.markImported(outcome.imported.map((i) => i.id));
  return outcome;
}
