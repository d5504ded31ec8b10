import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BotEventListener } from '../bot/bot-events';

export interface TurnRecord {
  channelId: string;
  type: string;
  /** 'ok', or 'failed' when the turn threw or answered 5xx. */
  outcome: 'ok' | 'failed';
  seconds: number;
}

export interface Metrics {
  turn(record: TurnRecord): void;
  httpError(code: string, status: number): void;
  /** Listens to the bot's events (fix outcomes, escalations). */
  readonly botEvents: BotEventListener;
  readonly contentType: string;
  /** The Prometheus text exposition of everything. */
  render(): Promise<string>;
}

/** Label values come from requests: keep only short identifier-like ones so a caller cannot grow the series. */
function label(value: string): string {
  return /^[A-Za-z][\w.-]{0,39}$/.test(value) ? value : 'other';
}

/**
 * The bot's metrics on prom-client, one registry per app (tests run several
 * apps in one process). prom-client costs a Map lookup per counted event,
 * which is nothing beside a turn; what it buys is correct exposition format
 * and the standard process metrics.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const turns = new Counter({ name: 'bot_turns_total', help: 'Turns processed, by channel, activity type and outcome.', labelNames: ['channel', 'type', 'outcome'], registers: [registry] });
  const latency = new Histogram({
    name: 'bot_turn_duration_seconds',
    help: 'Time from receiving an activity to answering it (the bot replies within the turn).',
    labelNames: ['channel'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({ name: 'http_errors_total', help: 'Requests answered with an error, by catalogue code and status.', labelNames: ['code', 'status'], registers: [registry] });
  const fixesStarted = new Counter({ name: 'bot_fixes_started_total', help: 'Fixes started.', labelNames: ['fix'], registers: [registry] });
  const fixesFinished = new Counter({ name: 'bot_fixes_finished_total', help: 'Fixes finished, by whether the backup then worked.', labelNames: ['fix', 'solved'], registers: [registry] });
  const escalations = new Counter({ name: 'bot_escalations_total', help: 'Conversations where no fix helped and the user was sent to support.', registers: [registry] });

  return {
    turn({ channelId, type, outcome, seconds }) {
      turns.inc({ channel: label(channelId), type: label(type), outcome });
      latency.observe({ channel: label(channelId) }, seconds);
    },
    httpError(code, status) {
      errors.inc({ code: label(code), status: String(status) });
    },
    botEvents: {
      fixStarted: (_context, fixId) => fixesStarted.inc({ fix: label(fixId) }),
      fixFinished: (_context, fixId, solved) => fixesFinished.inc({ fix: label(fixId), solved: String(solved) }),
      escalated: () => escalations.inc(),
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
