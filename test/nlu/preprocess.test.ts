import { Preprocessor, maskValues, rawTokens } from '../../src/nlu/preprocess';
import { SpellingCorrector } from '../../src/nlu/spelling';
import { normalizeText, tokenize } from '../../src/nlu/text';

describe('normalizeText and tokenize', () => {
  it('applies NFKC, lower-cases and folds typographic quotes', () => {
    expect(normalizeText('ＷｈａｔｓＡｐｐ “Backup” doesn’t')).toBe('whatsapp "backup" doesn\'t');
  });

  it('drops apostrophes inside words, collapses stretched letters, expands shorthand', () => {
    expect(tokenize("it doesn't work heyyy thx u rn")).toEqual([
      'it', 'doesnt', 'work', 'hey', 'thanks', 'you', 'right', 'now',
    ]);
  });
});

describe('maskValues', () => {
  it('turns sizes, percentages, versions, models and numbers into placeholders', () => {
    expect(rawTokens('Backup 3.4 GB, 1,5gb free, stuck at 45% on iPhone 12 Pro with iOS 17.2 for 3 days')).toEqual([
      'backup', '__size__', '__size__', 'free', 'stuck', 'at', '__pct__', 'on', 'iphone', '__model__',
      'with', 'ios', '__ver__', 'for', '__num__', 'days',
    ]);
  });

  it('leaves text without values alone', () => {
    expect(maskValues('backup failed')).toBe('backup failed');
  });
});

describe('SpellingCorrector', () => {
  const vocabulary = new Map([
    ['whatsapp', 30], ['icloud', 40], ['storage', 12], ['videos', 9], ['backup', 50], ['back', 5], ['update', 8],
  ]);
  const speller = new SpellingCorrector(vocabulary);

  it.each([
    ['whatsap', 'whatsapp'],
    ['watsapp', 'whatsapp'],
    ['icoud', 'icloud'],
    ['storag', 'storage'],
    ['vidoes', 'videos'],
    ['backp', 'backup'],
    ['updaet', 'update'],
  ])('corrects %j to %j', (typo, word) => {
    expect(speller.correct(typo)).toBe(word);
  });

  it('keeps known words, short tokens, placeholders and words too far from any known one', () => {
    for (const token of ['icloud', 'bak', 'u', '__size__', 'telegram', 'x2']) expect(speller.correct(token)).toBe(token);
  });
});

describe('Preprocessor', () => {
  it('corrects against the training vocabulary before stemming', () => {
    const pre = new Preprocessor(['whatsapp backup stuck on videos', 'icloud storage full']);
    const p = pre.process('whatsap backp stuck on vidoes');
    expect(p.corrected).toEqual(['whatsapp', 'backup', 'stuck', 'on', 'videos']);
    expect(p.stems).toEqual(['whatsapp', 'backup', 'stuck', 'on', 'video']);
    expect(p.unknown).toBe(0);
    expect(pre.process('telegram backup').unknown).toBe(0.5);
  });
});
