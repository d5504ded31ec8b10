// Errors the desk service throws; the agent routes map them onto the HTTP error catalogue.

export class HandoffNotFoundError extends Error {
  constructor(readonly handoffId: string) {
    super(`hand-off ${handoffId} not found`);
    this.name = 'HandoffNotFoundError';
  }
}

/** The hand-off is not in a state that allows this (e.g. accepting one that is no longer waiting). */
export class HandoffConflictError extends Error {
  constructor(readonly handoffId: string, readonly state: string) {
    super(`hand-off ${handoffId} is ${state}`);
    this.name = 'HandoffConflictError';
  }
}

/** The agent does not hold this hand-off. */
export class HandoffForbiddenError extends Error {
  constructor(readonly handoffId: string) {
    super(`hand-off ${handoffId} is held by another agent`);
    this.name = 'HandoffForbiddenError';
  }
}
