/** The server's error catalogue: stable codes clients and docs can rely on. */
export const ERRORS = {
  BAD_ACTIVITY: { status: 400, message: 'The request body is not a valid Bot Framework activity.' },
  BAD_PARSE_REQUEST: { status: 400, message: 'Send JSON like {"text": "..."} with text of at most 2,000 characters.' },
  TURN_FAILED: { status: 500, message: 'The bot could not process this activity.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** An error that knows its HTTP status; the one handler turns it into `{ error: { code, message } }`. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${ERRORS[code].message} ${detail}` : ERRORS[code].message, options);
    this.name = 'HttpError';
    this.status = ERRORS[code].status;
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
