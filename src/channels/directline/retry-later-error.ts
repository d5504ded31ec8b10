import { HttpError } from '../../server/http-error';

/** A refusal the client should retry: the routes answer it with `Retry-After`. */
export class RetryLaterError extends HttpError {
  constructor(
    code: 'DL_BUSY' | 'DL_SHUTTING_DOWN' | 'DL_STORE_UNAVAILABLE',
    /** Whole seconds, as `Retry-After` wants them. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(code, undefined, options);
    this.name = 'RetryLaterError';
  }
}
