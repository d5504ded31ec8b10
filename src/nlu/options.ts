import { DEFAULT_FEATURES } from './features';
import type { FeatureOptions } from './features';
import { DEFAULT_SOFTMAX } from './softmax';
import type { SoftmaxOptions } from './softmax';
import { DEFAULT_SPELLING } from './spelling';
import type { SpellingOptions } from './spelling';

/** Everything that shapes a trained classifier; the defaults are what cross-validation chose. */
export interface NluOptions {
  features: FeatureOptions;
  softmax: SoftmaxOptions;
  spelling: SpellingOptions;
}

export const DEFAULT_NLU_OPTIONS: NluOptions = {
  features: DEFAULT_FEATURES,
  softmax: DEFAULT_SOFTMAX,
  spelling: DEFAULT_SPELLING,
};
