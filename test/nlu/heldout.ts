import { join } from 'node:path';
import { YamlFile } from '../../src/content/yaml-file';
import { INTENTS } from '../../src/nlu/types';
import type { IntentName } from '../../src/nlu/types';
import type { LabelledExample } from '../../src/nlu/evaluate';

export const HELDOUT_PATH = join(__dirname, 'heldout.yaml');
export const INTENTS_DIR = join(__dirname, '..', '..', 'intents');

/** The held-out evaluation split: never used for training. */
export function loadHeldout(path = HELDOUT_PATH): LabelledExample[] {
  const file = YamlFile.read(path);
  const data = file.toJS() as { version?: unknown; examples?: unknown };
  if (data?.version !== 1 || !Array.isArray(data.examples)) {
    throw file.error('SCHEMA', [], 'expected version: 1 and a list of examples');
  }
  return data.examples.map((e: unknown, i: number) => {
    const { text, intent } = (e ?? {}) as { text?: unknown; intent?: unknown };
    if (typeof text !== 'string' || text.trim() === '') throw file.error('SCHEMA', ['examples', i, 'text'], 'text must be a non-empty string');
    if (typeof intent !== 'string' || !(INTENTS as readonly string[]).includes(intent)) {
      throw file.error('INTENT_UNKNOWN', ['examples', i, 'intent'], `unknown intent ${String(intent)}`);
    }
    return { text, intent: intent as IntentName };
  });
}
