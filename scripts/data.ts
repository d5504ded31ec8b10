/**
 * The labelled data the NLU scripts work on: the training examples in intents/
 * and the held-out split in test/nlu/heldout.yaml (evaluation only, never
 * training). Paths are found from the repository root, so the same code works
 * from the TypeScript sources (jest) and from the compiled copy under dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadIntents } from '../src/content/load-intents';
import { PROJECT_ROOT } from '../src/project';
import { YamlFile } from '../src/content/yaml-file';
import type { LabelledExample } from '../src/nlu/evaluate';
import { INTENTS } from '../src/nlu/types';
import type { IntentExamples, IntentName } from '../src/nlu/types';
import { prng } from '../src/nlu/prng';

export const REPO_ROOT = PROJECT_ROOT;
export const INTENTS_DIR = join(REPO_ROOT, 'intents');
export const HELDOUT_PATH = join(REPO_ROOT, 'test', 'nlu', 'heldout.yaml');
export const REPORTS_DIR = join(REPO_ROOT, 'reports');

export function loadTraining(dir = INTENTS_DIR): IntentExamples[] {
  return loadIntents(dir);
}

/** The held-out evaluation split: never used for training. */
export function loadHeldout(path = HELDOUT_PATH): LabelledExample[] {
  const file = YamlFile.read(path);
  const data = file.toJS() as { version?: unknown; examples?: unknown };
  if (data?.version !== 1 || !Array.isArray(data.examples)) {
    throw file.error('SCHEMA', [], 'expected version: 1 and a list of examples');
  }
  return data.examples.map((e: unknown, i: number) => {
    const { text, intent } = (e ?? {}) as { text?: unknown; intent?: unknown };
    if (typeof text !== 'string' || text.trim() === '') {
      throw file.error('SCHEMA', ['examples', i, 'text'], 'text must be a non-empty string');
    }
    if (typeof intent !== 'string' || !(INTENTS as readonly string[]).includes(intent)) {
      throw file.error('INTENT_UNKNOWN', ['examples', i, 'intent'], `unknown intent ${String(intent)}`);
    }
    return { text, intent: intent as IntentName };
  });
}

/** Training groups as one flat list of labelled examples. */
export function flatten(groups: readonly IntentExamples[]): LabelledExample[] {
  return groups.flatMap((g) => g.examples.map((text) => ({ text, intent: g.intent })));
}

/** Labelled examples regrouped by intent (contract order), as createNlu takes them. */
export function regroup(examples: readonly LabelledExample[]): IntentExamples[] {
  return INTENTS.map((intent) => {
    const own = examples.filter((e) => e.intent === intent);
    return { intent, examples: own.map((e) => e.text), file: `<${intent}>`, lines: own.map(() => 0) };
  }).filter((g) => g.examples.length > 0);
}


/**
 * Stratified k folds: each intent's examples are shuffled (seeded) and dealt
 * round-robin, so every fold holds about 1/k of every intent.
 */
export function stratifiedFolds(examples: readonly LabelledExample[], k: number, seed = 7): LabelledExample[][] {
  const folds: LabelledExample[][] = Array.from({ length: k }, () => []);
  const random = prng(seed);
  let next = 0;
  for (const intent of INTENTS) {
    const own = examples.filter((e) => e.intent === intent);
    for (let i = own.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [own[i], own[j]] = [own[j] as LabelledExample, own[i] as LabelledExample];
    }
    for (const e of own) {
      (folds[next % k] as LabelledExample[]).push(e);
      next++;
    }
  }
  return folds;
}
