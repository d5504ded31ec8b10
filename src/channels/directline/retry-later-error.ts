import { HttpError } from '../../server/http-error';

/** A refusal the client should retry: answered with `Retry-After` (see HttpError). */
export class RetryLaterError extends HttpError {
  declare readonly retryAfterSeconds: number;
  constructor(
    code: 'DL_BUSY' | 'DL_SHUTTING_DOWN' | 'DL_STORE_UNAVAILABLE',
    /** Whole seconds, as `Retry-After` wants them. */
    retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(code, undefined, { ...options, retryAfterSeconds });
    this.name = 'RetryLaterError';
  }
}
