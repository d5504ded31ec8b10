/**
 * The labelled data the NLU scripts work on: the training examples in intents/
 * and the evaluation sets under test/nlu/ (never training): the frozen
 * independent split and mixed messages, the old held-out split and the
 * development (tuning) set. Paths are found from the repository root, so the
 * same code works from the TypeScript sources (jest) and from the compiled
 * copy under dist/.
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
/** The old held-out split, written by the authors of intents/. */
export const HELDOUT_PATH = join(REPO_ROOT, 'test', 'nlu', 'heldout.yaml');
/** Frozen, written without seeing intents/: first messages in many styles. Aggregate figures only. */
export const INDEPENDENT_PATH = join(REPO_ROOT, 'test', 'nlu', 'heldout-independent.yaml');
/** Frozen: a generic complaint plus a specific cause, labelled with the specific intent. */
export const MIXED_PATH = join(REPO_ROOT, 'test', 'nlu', 'heldout-mixed.yaml');
/** The development (tuning) set: read, tuned on, never trained on. */
export const DEV_PATH = join(REPO_ROOT, 'test', 'nlu', 'dev.yaml');
export const REPORTS_DIR = join(REPO_ROOT, 'reports');

export function loadTraining(dir = INTENTS_DIR): IntentExamples[] {
  return loadIntents(dir);
}

/** A labelled evaluation file (`version: 1`, `examples: [{text, intent, style?}]`): never used for training. */
export function loadLabelled(path: string): LabelledExample[] {
  const file = YamlFile.read(path);
  const data = file.toJS() as { version?: unknown; examples?: unknown };
  if (data?.version !== 1 || !Array.isArray(data.examples)) {
    throw file.error('SCHEMA', [], 'expected version: 1 and a list of examples');
  }
  return data.examples.map((e: unknown, i: number) => {
    const { text, intent, style } = (e ?? {}) as { text?: unknown; intent?: unknown; style?: unknown };
    if (typeof text !== 'string' || text.trim() === '') {
      throw file.error('SCHEMA', ['examples', i, 'text'], 'text must be a non-empty string');
    }
    if (typeof intent !== 'string' || !(INTENTS as readonly string[]).includes(intent)) {
      throw file.error('INTENT_UNKNOWN', ['examples', i, 'intent'], `unknown intent ${String(intent)}`);
    }
    return typeof style === 'string' ? { text, intent: intent as IntentName, style } : { text, intent: intent as IntentName };
  });
}

/** The old held-out split. */
export function loadHeldout(path = HELDOUT_PATH): LabelledExample[] {
  return loadLabelled(path);
}

/** The development set, split into its first messages and its mixed ones (as the frozen files are). */
export function loadDev(path = DEV_PATH): { first: LabelledExample[]; mixed: LabelledExample[] } {
  const all = loadLabelled(path);
  return { first: all.filter((e) => e.style !== 'mixed'), mixed: all.filter((e) => e.style === 'mixed') };
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
