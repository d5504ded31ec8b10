/** The server's error catalogue: stable codes clients and docs can rely on. */
export const ERRORS = {
  BAD_ACTIVITY: { status: 400, message: 'The request body is not a valid Bot Framework activity.' },
  BAD_PARSE_REQUEST: { status: 400, message: 'Send JSON like {"text": "..."} with text of at most 2,000 characters.' },
  TURN_FAILED: { status: 500, message: 'The bot could not process this activity.' },
  TURN_NOT_DELIVERED: { status: 502, message: "The channel did not accept the bot's reply; the conversation is unchanged, so send the activity again." },
  BF_UNAUTHORIZED: { status: 401, message: 'Send "Authorization: Bearer <token>" with a valid Bot Framework token.' },
  CROSS_SITE_REFUSED: { status: 403, message: 'Requests from other sites are refused.' },
  SERVICE_URL_NOT_ALLOWED: { status: 403, message: 'The activity\'s serviceUrl is not one this bot may reply to (see ALLOWED_SERVICE_URLS).' },
  // The HTTP edge: request line, headers and body, checked before any route runs.
  BAD_REQUEST: { status: 400, message: 'The request could not be understood.' },
  BAD_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  JSON_TOO_DEEP: { status: 400, message: 'The request body nests objects or arrays more than 64 levels deep.' },
  NOT_FOUND: { status: 404, message: 'There is nothing at this address.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This address does not accept that method.' },
  NOT_ACCEPTABLE: { status: 406, message: 'This address answers with JSON or the type it names; ask for that.' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is over the 256 KiB limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json (UTF-8).' },
  UNSUPPORTED_CONTENT_ENCODING: { status: 415, message: 'Compressed request bodies are refused: send the body uncompressed.' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  NOT_READY: { status: 503, message: 'The bot is not ready (starting, shutting down, or its storage is failing); try again shortly.' },
  // Direct Line (built-in service at /v3/directline and the widget's token route).
  DL_UNAUTHORIZED: { status: 401, message: 'Send "Authorization: Bearer <token or secret>" with a valid, unexpired Direct Line token.' },
  DL_FORBIDDEN: { status: 403, message: 'This token is not valid for this conversation.' },
  DL_CONVERSATION_NOT_FOUND: { status: 404, message: 'No such conversation (it may have been evicted from memory).' },
  DL_BAD_ACTIVITY: { status: 400, message: 'Send a JSON activity of type message, event or typing.' },
  DL_UPLOAD_UNSUPPORTED: { status: 415, message: 'The built-in Direct Line service does not accept attachment uploads.' },
  DL_TOO_LARGE: { status: 413, message: 'The activity is too large.' },
  DL_BOT_UNAVAILABLE: { status: 502, message: 'The bot did not accept the activity.' },
  DL_NOT_SUPPORTED: { status: 404, message: 'The built-in Direct Line service does not support this operation.' },
  DL_BUSY: { status: 429, message: 'The bot is busy with other conversations; try again after the Retry-After delay.' },
  DL_SHUTTING_DOWN: { status: 503, message: 'The chat service is restarting; try again after the Retry-After delay.' },
  DL_STORE_UNAVAILABLE: { status: 503, message: 'The chat service cannot reach its shared store (Redis) just now; try again after the Retry-After delay.' },
  DL_TOKEN_RATE_LIMITED: { status: 429, message: 'Too many token requests from this address; try again shortly.' },
  DL_AZURE_FAILED: { status: 502, message: 'Azure Direct Line did not issue a token.' },
  DL_DISABLED: { status: 503, message: 'No Direct Line service is configured: set DIRECT_LINE_SECRET (the built-in service is off while MicrosoftAppId is set).' },
  // The agent console's API (/agent/api).
  AGENT_UNAUTHENTICATED: { status: 401, message: 'Sign in to the agent console first.' },
  AGENT_FORBIDDEN: { status: 403, message: 'This session may not do that (another agent holds this conversation, or the session is not valid).' },
  AGENT_LOGIN_FAILED: { status: 401, message: 'That name and password do not match an agent account.' },
  AGENT_LOGIN_THROTTLED: { status: 429, message: 'Too many failed sign-ins; try again after the Retry-After delay.' },
  CSRF_REJECTED: { status: 403, message: 'Send the header "X-Agent-Console: 1" from this server\'s own pages.' },
  HANDOFF_NOT_FOUND: { status: 404, message: 'No such hand-off.' },
  HANDOFF_CONFLICT: { status: 409, message: 'The hand-off is not in a state that allows this (someone may have accepted it already).' },
  // The insights dashboard's API (/admin/api).
  ADMIN_ROLE_REQUIRED: { status: 403, message: 'The insights are for accounts with the admin role.' },
  BAD_PERIOD: { status: 400, message: 'The period is not valid.' },
  INBOX_ITEM_NOT_FOUND: { status: 404, message: 'No such message in the understanding inbox (or it was already imported).' },
  BAD_INBOX_REVIEW: { status: 400, message: 'Send {"label": "<intent name>"} with one of the bot\'s intents (or "none"), or {"dismiss": true}.' },
  // Chatwoot's webhook (/api/handoff/chatwoot).
  CHATWOOT_SIGNATURE_REJECTED: { status: 401, message: "Send X-Chatwoot-Timestamp (within 5 minutes) and X-Chatwoot-Signature made with the inbox's webhook secret." },
  BAD_AGENT_REQUEST: { status: 400, message: 'Send JSON with the fields this address needs (text of 1 to 4,000 characters; name and password).' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/**
 * An error that knows its HTTP status; the error boundary turns it into
 * `{ error: { code, message } }`. `detail` reaches the caller, so it carries
 * only our own wording, never an exception's text: put that in `cause` (logged).
 * `retryAfterSeconds` (a refusal to retry later: 429, 503) becomes the
 * answer's `Retry-After` header.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(detail ? `${ERRORS[code].message} ${detail}` : ERRORS[code].message, options);
    this.name = 'HttpError';
    this.status = ERRORS[code].status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
