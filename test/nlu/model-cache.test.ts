import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswerExamples, loadIntents } from '../../src/content/load-intents';
import { createNlu } from '../../src/nlu';
import { decodeModel, directoryModelCache, encodeModel } from '../../src/nlu/model-cache';
import type { ModelCacheEvent } from '../../src/nlu/model-cache';
import { SoftmaxModel } from '../../src/nlu/softmax';
import type { IntentExamples } from '../../src/nlu/types';
import { INTENTS_DIR } from './heldout';

const SAMPLES = [
  'my whatsapp backup is stuck at 40%',
  'icloud says not enough storage',
  'reboot my phone?',
  'asdfgh',
  'yes done',
  'no still failing',
  'talk to a person please',
];

describe('the NLU model cache (DATA_DIR/nlu-models)', () => {
  const intents = loadIntents(INTENTS_DIR);
  const answers = loadAnswerExamples(INTENTS_DIR);
  let dir: string;
  let events: ModelCacheEvent[];
  const cache = (folder = dir) => directoryModelCache(folder, (e) => events.push(e));
  const parses = (nlu: ReturnType<typeof createNlu>) => SAMPLES.map((text) => nlu.parse(text));
  const kinds = () => events.map((e) => e.kind);

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'nlu-cache-')), 'nlu-models');
    events = [];
  });
  afterEach(() => jest.restoreAllMocks());

  it('trains and stores both models on first start, then loads them without training, reading every message the same', () => {
    const fresh = createNlu(intents, {}, answers, cache());
    expect(kinds()).toEqual(['stored', 'stored']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.model'))).toHaveLength(2);

    events = [];
    const train = jest.spyOn(SoftmaxModel, 'train');
    const loaded = createNlu(intents, {}, answers, cache());
    expect(train).not.toHaveBeenCalled();
    expect(kinds()).toEqual(['hit', 'hit']);
    expect(parses(loaded)).toEqual(parses(fresh));
  });

  it('trains again when an example changes: a model of other content is never loaded', () => {
    createNlu(intents, {}, [], cache());
    events = [];
    const changed: IntentExamples[] = intents.map((group) =>
      group.intent === 'thanks' ? { ...group, examples: [...group.examples, 'cheers for sorting my backup'] } : group,
    );
    const train = jest.spyOn(SoftmaxModel, 'train');
    createNlu(changed, {}, [], cache());
    expect(train).toHaveBeenCalledTimes(1);
    expect(kinds()).toEqual(['stored']);
  });

  it('trains again when an option changes', () => {
    createNlu(intents, {}, [], cache());
    events = [];
    createNlu(intents, { temperature: 0.9 }, [], cache());
    expect(kinds()).toEqual(['stored']);
  });

  it('reports a truncated model file, trains instead, and replaces the file with a whole one', () => {
    const fresh = createNlu(intents, {}, [], cache());
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.model')) as string);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    events = [];
    const recovered = createNlu(intents, {}, [], cache());
    expect(kinds()).toEqual(['hit', 'problem', 'stored']);
    expect(parses(recovered)).toEqual(parses(fresh));
    events = [];
    createNlu(intents, {}, [], cache());
    expect(kinds()).toEqual(['hit']);
  });

  it('works without the cache when its folder cannot be created (a file is in the way)', () => {
    const blocked = join(dir, '..', 'blocked');
    writeFileSync(blocked, 'not a folder');
    const nlu = createNlu(intents, {}, [], cache(join(blocked, 'nlu-models')));
    // Reading and writing each fail, and each says so.
    expect(kinds()).toEqual(['problem', 'problem']);
    expect(nlu.parse('icloud says not enough storage').intent.name).toBe('check_storage');
  });

  it('decodes a stored model only for the key and labels it was stored under', () => {
    const model = {
      labels: ['a', 'b'],
      keys: Uint32Array.from([7, 9, 11]),
      softmax: { classes: 2, weights: Float32Array.from([0.5, -0.5, 1, 2, -3, 0.25]), bias: Float64Array.from([0.1, -0.1]) },
    };
    const bytes = encodeModel('k1', model);
    expect(decodeModel(bytes, 'k1', ['a', 'b'])).toEqual(model);
    expect(decodeModel(bytes, 'k2', ['a', 'b'])).toBeUndefined();
    expect(decodeModel(bytes, 'k1', ['b', 'a'])).toBeUndefined();
    expect(decodeModel(bytes.subarray(1), 'k1', ['a', 'b'])).toBeUndefined();
    expect(decodeModel(Buffer.concat([bytes, Buffer.alloc(8)]), 'k1', ['a', 'b'])).toBeUndefined();
  });

  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
});
