import type { SparseRows, SparseVector } from './features';
import { prng } from './prng';

export interface SoftmaxOptions {
  epochs: number;
  /** Initial learning rate; decays as lr / (1 + decay × step). */
  learningRate: number;
  decay: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
  /** Seed of the shuffling order: same seed, same model. */
  seed: number;
  /**
   * How much each class's examples weigh: `equal` (every example 1),
   * `balanced` (n / (classes × class size)) or `sqrt` (square root of balanced).
   */
  classWeighting: 'equal' | 'balanced' | 'sqrt';
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = {
  epochs: 12,
  learningRate: 2,
  decay: 0.0005,
  // 0.0003 (was 0.001): in 5-fold CV over intents/ (3 fold seeds) it sent fewer in-scope
  // messages to none at equal accuracy (reports/nlu-eval.md); 0.0001…0.003 are all within ~1 point.
  l2: 0.0003,
  seed: 20240611,
  classWeighting: 'equal',
};


/**
 * A wrong class's probability below this is not worth a weight update: its
 * step would move the weights by less than 1e-4 of the learning rate (the
 * model differs from the exact SGD one by far less than fold-to-fold noise).
 */
const NEGLIGIBLE_GRADIENT = 1e-4;

/** Logits → probabilities, in place (max-shifted for stability). */
function softmaxInPlace(out: Float64Array, K: number): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, out[k] as number);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp((out[k] as number) - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) out[k] = (out[k] as number) / sum;
}

export interface SoftmaxParameters {
  classes: number;
  /** Float32: half the memory of the trained Float64 weights, and no reading changes by more than ~1e-6. */
  weights: Float32Array;
  bias: Float64Array;
}

/**
 * Multinomial logistic regression over sparse features, trained by SGD with L2
 * (applied to the weights an example touches). Probabilities sum to 1.
 */
export class SoftmaxModel {
  private constructor(
    private readonly classes: number,
    private readonly weights: Float32Array,
    private readonly bias: Float64Array,
  ) {}

  static train(
    xs: SparseRows,
    ys: readonly number[],
    features: number,
    classes: number,
    o: SoftmaxOptions = DEFAULT_SOFTMAX,
  ): SoftmaxModel {
    if (xs.rows !== ys.length || xs.rows === 0) throw new Error('SoftmaxModel.train: need as many labels as examples');
    if (classes < 2) throw new Error('SoftmaxModel.train: need at least two classes');
    // Trained in Float64 (SGD's many small steps), kept in Float32.
    const W = new Float64Array(features * classes);
    const b = new Float64Array(classes);
    const random = prng(o.seed);
    const order = Int32Array.from(ys, (_, i) => i);
    const p = new Float64Array(classes);
    const sizes = new Float64Array(classes);
    for (const y of ys) sizes[y] = (sizes[y] as number) + 1;
    const classWeight = Float64Array.from(sizes, (n) => {
      const balanced = n === 0 ? 0 : ys.length / (classes * n);
      return o.classWeighting === 'balanced' ? balanced : o.classWeighting === 'sqrt' ? Math.sqrt(balanced) : 1;
    });
    const indices = xs.indices;
    const values = xs.values;
    // Each feature's weights are scale[f] × V[f]: the L2 shrink of a touched feature is one multiply, and
    // only the classes whose gradient is not negligible are updated (after the first epochs, one or two).
    const V = W;
    const scale = new Float64Array(features).fill(1);
    const active = new Int32Array(classes);
    let step = 0;
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      for (let r = 0; r < order.length; r++) {
        const n = order[r] as number;
        const y = ys[n] as number;
        const from = xs.start(n);
        const to = xs.end(n);
        // Probabilities with the scaled weights.
        for (let k = 0; k < classes; k++) p[k] = b[k] as number;
        for (let t = from; t < to; t++) {
          const f = indices[t] as number;
          const base = f * classes;
          const v = (values[t] as number) * (scale[f] as number);
          for (let k = 0; k < classes; k++) p[k] = (p[k] as number) + v * (V[base + k] as number);
        }
        softmaxInPlace(p, classes);
        const lr = (o.learningRate / (1 + o.decay * step++)) * (classWeight[y] as number);
        const shrink = 1 - lr * o.l2;
        let m = 0;
        for (let k = 0; k < classes; k++) {
          const g = (p[k] as number) - (k === y ? 1 : 0);
          p[k] = lr * g;
          b[k] = (b[k] as number) - lr * g;
          if (g > NEGLIGIBLE_GRADIENT || g < -NEGLIGIBLE_GRADIENT) active[m++] = k;
        }
        for (let t = from; t < to; t++) {
          const f = indices[t] as number;
          const base = f * classes;
          let s = (scale[f] as number) * shrink;
          if (s < 1e-6) {
            for (let k = 0; k < classes; k++) V[base + k] = (V[base + k] as number) * s;
            s = 1;
          }
          scale[f] = s;
          const v = (values[t] as number) / s;
          for (let a = 0; a < m; a++) {
            const k = active[a] as number;
            V[base + k] = (V[base + k] as number) - (p[k] as number) * v;
          }
        }
      }
    }
    for (let f = 0; f < features; f++) {
      const s = scale[f] as number;
      if (s !== 1) for (let k = 0, base = f * classes; k < classes; k++) W[base + k] = (V[base + k] as number) * s;
    }
    return new SoftmaxModel(classes, Float32Array.from(W), b);
  }

  /** A model from weights saved by `parameters()` (a cached model). */
  static fromParameters(p: SoftmaxParameters): SoftmaxModel {
    if (p.classes < 2 || p.bias.length !== p.classes || p.weights.length % p.classes !== 0) {
      throw new Error('SoftmaxModel.fromParameters: weights and biases do not fit the number of classes');
    }
    return new SoftmaxModel(p.classes, p.weights, p.bias);
  }

  /** The trained weights (feature-major: features × classes) and biases. */
  parameters(): SoftmaxParameters {
    return { classes: this.classes, weights: this.weights, bias: this.bias };
  }

  /** Class probabilities for one example. */
  probabilities(x: SparseVector): Float64Array {
    return this.probabilitiesInto(x, new Float64Array(this.classes));
  }

  private probabilitiesInto(x: SparseVector, out: Float64Array): Float64Array {
    return this.rowProbabilities(x.indices, x.values, 0, x.indices.length, out);
  }

  /** Probabilities of the row of features `from`..`to` of `indices` / `values`, into `out`. */
  private rowProbabilities(indices: Int32Array, values: Float64Array, from: number, to: number, out: Float64Array): Float64Array {
    const K = this.classes;
    for (let k = 0; k < K; k++) out[k] = this.bias[k] as number;
    for (let t = from; t < to; t++) {
      const base = (indices[t] as number) * K;
      const v = values[t] as number;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + v * (this.weights[base + k] as number);
    }
    softmaxInPlace(out, K);
    return out;
  }
}
