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
 * expected calibration error 0.012 (0.046 before scaling), dev 0.042.
 * Measured last (1,888 training examples):
 *
 * - route 0.60: readings between 0.6 and 0.7 are right 71 % of the time in CV
 *   (80 % on dev), those between 0.5 and 0.6 only 57 % (68 %): from 0.6 up a
 *   route is clearly more often right than not. CV routes 90 % of messages at
 *   0.60, 92 % of them right (dev: 93 %, 97 %); 0.70 buys 1.5 points of
 *   precision for 6 points less coverage. A wrong route starts the wrong fix,
 *   which costs the user more than one question, but a question costs too.
 * - ask 0.30: CV puts 9.5 % of messages between ask and route, and for 97 % of
 *   them the right intent is among the top three readings, so offering them as
 *   choices works. Below 0.30 (0.2 % of messages) the top reading is right a
 *   quarter of the time or less, as a calibrated confidence says it should
 *   be: asking to rephrase is the better move.
 *
 * Re-measure (and revisit these) whenever intents/ or the classifier changes;
 * config can override both (NLU_ROUTE_THRESHOLD, NLU_ASK_THRESHOLD).
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ route: 0.6, ask: 0.3 });
