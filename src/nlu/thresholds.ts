export interface Thresholds {
  /** At or above: route straight to the top intent. */
  route: number;
  /** From here up to `route`: ask which of the top readings was meant. Below: fall back. */
  ask: number;
}

/**
 * Derived from the reliability curve and the threshold curve in
 * reports/nlu-eval.md (`npm run nlu:eval`), on 5-fold cross-validation over
 * intents/ and the dev set, never on the frozen splits. Confidences are
 * temperature-scaled (T fitted on the cross-validated predictions, options.ts),
 * so a confidence is close to the chance the top reading is right: CV
 * expected calibration error 0.010 (0.065 at T = 1), dev 0.037.
 * Measured last (3,550 training examples):
 *
 * - route 0.60: readings between 0.6 and 0.7 are right 64 % of the time in CV
 *   (83 % on dev), those between 0.5 and 0.6 only 55 % (71 %): from 0.6 up a
 *   route is clearly more often right than not. CV routes 92 % of messages at
 *   0.60, 94 % of them right. A wrong route starts the wrong fix, which costs
 *   the user more than one question, but a question costs too.
 * - ask 0.30: CV puts 7.5 % of messages between ask and route, and for 97 % of
 *   them the right intent is among the top three readings, so offering them as
 *   choices works. Below 0.30 (0.4 % of messages) the top reading is right
 *   less than half the time: asking to rephrase is the better move.
 *
 * Re-measure (and revisit these) whenever intents/ or the classifier changes;
 * config can override both (NLU_ROUTE_THRESHOLD, NLU_ASK_THRESHOLD).
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ route: 0.6, ask: 0.3 });
