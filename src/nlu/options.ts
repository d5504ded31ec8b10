import { DEFAULT_FEATURES } from './features';
import type { FeatureOptions } from './features';
import { DEFAULT_NEIGHBOURS } from './neighbours';
import type { NeighbourOptions } from './neighbours';
import { DEFAULT_SOFTMAX } from './softmax';
import type { SoftmaxOptions } from './softmax';
import { DEFAULT_SPELLING } from './spelling';
import type { SpellingOptions } from './spelling';

/** Everything that shapes a trained classifier; the defaults are what cross-validation and the dev set chose. */
export interface NluOptions {
  features: FeatureOptions;
  softmax: SoftmaxOptions;
  spelling: SpellingOptions;
  /** Read words through the English lexicon (real-word test, word vectors); false: training words only. */
  lexicon: boolean;
  neighbours: NeighbourOptions;
  /** Keyboard mashes added to the out-of-scope label when training (0: none). */
  mashes: number;
  /** Softmax temperature (calibration.ts), fitted on cross-validated predictions by `npm run nlu:eval`. */
  temperature: number;
}

export const DEFAULT_NLU_OPTIONS: NluOptions = {
  features: DEFAULT_FEATURES,
  softmax: DEFAULT_SOFTMAX,
  spelling: DEFAULT_SPELLING,
  lexicon: true,
  neighbours: DEFAULT_NEIGHBOURS,
  // 60 mashes: enough for the non-word share to carry weight (dev gibberish 13/13), few next to ~500 none examples.
  mashes: 60,
  // Refit on 5-fold CV predictions (`npm run nlu:eval` prints the refit factor): with
  // 3,550 examples and 12 epochs the raw softmax is under-confident; 0.82 × 0.875 ≈ 0.72.
  temperature: 0.72,
};
