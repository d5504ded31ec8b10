/** Gives a generated waterfall step a readable name: botbuilder telemetry reports steps by function name. */
export function named<T extends (...args: never[]) => unknown>(name: string, step: T): T {
  Object.defineProperty(step, 'name', { value: name });
  return step;
}

/** A waterfall's per-run values (botbuilder types them as `object`). */
export function stepValues(turn: { values: object }): Record<string, unknown> {
  return turn.values as Record<string, unknown>;
}
