/**
 * Temperature scaling: p_k ∝ p_k^(1/T). T > 1 softens over-confident
 * probabilities, T < 1 sharpens timid ones; the ranking never changes. T is
 * fitted on cross-validated predictions (every message classified by a model
 * that did not see it), so confidences mean what they say on new messages.
 */
export function applyTemperature(p: Float64Array, temperature: number): Float64Array {
  if (temperature === 1) return p;
  const inv = 1 / temperature;
  let sum = 0;
  for (let k = 0; k < p.length; k++) {
    const v = Math.pow(p[k] as number, inv);
    p[k] = v;
    sum += v;
  }
  for (let k = 0; k < p.length; k++) p[k] = (p[k] as number) / sum;
  return p;
}

/** One held-out prediction as calibration needs it: every class's probability, and the right class. */
export interface Scored {
  probabilities: readonly number[];
  truth: number;
}

/** Mean negative log-likelihood of the right class after scaling by T. */
export function negativeLogLikelihood(scored: readonly Scored[], temperature: number): number {
  let total = 0;
  for (const s of scored) {
    const scaled = applyTemperature(Float64Array.from(s.probabilities), temperature);
    total -= Math.log(Math.max(1e-12, scaled[s.truth] as number));
  }
  return total / Math.max(1, scored.length);
}

/**
 * The T (on top of the temperature the probabilities already carry) that
 * minimises the negative log-likelihood, by golden-section search on log T
 * over [0.2, 5]: NLL is unimodal in T for a fixed set of logits.
 */
export function fitTemperature(scored: readonly Scored[]): number {
  const f = (logT: number): number => negativeLogLikelihood(scored, Math.exp(logT));
  let lo = Math.log(0.2);
  let hi = Math.log(5);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
