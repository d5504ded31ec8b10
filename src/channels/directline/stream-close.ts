/**
 * Why the server closes a stream. botframework-directlinejs reconnects after
 * any close (it asks GET /conversations/{id} for a new stream URL after 3–15 s),
 * so both codes bring Web Chat back; they tell other clients and logs why.
 */
export const STREAM_CLOSE = {
  /** The conversation was evicted from memory; reconnecting re-creates it with a notice. Application range (4000–4999). */
  expired: { code: 4001, reason: 'conversation expired from memory; reconnect to continue' },
  /** The server is shutting down to restart: 1012 Service Restart. */
  restart: { code: 1012, reason: 'service restarting; reconnect shortly' },
} as const;
