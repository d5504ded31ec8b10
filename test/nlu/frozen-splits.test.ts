import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldExample } from '../../src/content/load-intents';
import { INTENTS_DIR } from './heldout';
import { splitTexts, trainingTexts } from './split-texts';

/**
 * The independent evaluation splits were written by someone who had not seen
 * the training data or the content, and frozen before any model or answer
 * understanding was tuned on them. Editing one to fit the bot would make its
 * figures meaningless, so each file's hash is pinned here: a change must be a
 * deliberate, reviewed edit of this list.
 */
const FROZEN: Record<string, string> = {
  'heldout-answers.yaml': '33c087d6acc3ec7009329f4326c7a68fc96ea74ff49ebf93630c983c065730f5',
  'heldout-independent.yaml': 'd5d90d24c2c1d7009075f0922d299a9e0174f092f8854fd33714b31299821e2a',
  'heldout-mixed.yaml': '8b2ba6dfaf9e07dcc23ebfab7a5292ae5cf981ec226675be9b2b4cefe8a38867',
};

describe('the frozen independent evaluation splits', () => {
  test.each(Object.entries(FROZEN))('%s is unchanged since it was frozen', (file, sha256) => {
    expect(createHash('sha256').update(readFileSync(join(__dirname, file))).digest('hex')).toBe(sha256);
  });

  test.each(Object.keys(FROZEN))('no message of %s appears anywhere in intents/', (file) => {
    const training = trainingTexts(INTENTS_DIR);
    const texts = splitTexts(file);
    expect(texts.length).toBeGreaterThan(0);
    // A count, not the texts: a failure here must not show anyone a frozen message.
    expect(texts.filter((t) => training.has(foldExample(t))).length).toBe(0);
  });
});
