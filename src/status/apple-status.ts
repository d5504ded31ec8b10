/**
 * Reads Apple's published system status so the bot can tell a user when an
 * iCloud Backup problem is on Apple's side rather than on their phone.
 */

/** Apple's US-English status feed; pass it (or a localised one) as `url`. */
export const APPLE_SYSTEM_STATUS_URL =
  'https://www.apple.com/support/systemstatus/data/system_status_en_US.js';

export type ProblemType = 'Outage' | 'Issue' | 'Performance' | 'Maintenance';

export interface StatusEvent {
  statusType: ProblemType;
  message?: string;
  startDate?: string;
}

/** `checkedAt` is the injected clock's reading (epoch ms by default) when the answer arrived. */
export type ServiceStatus =
  | { state: 'available'; checkedAt: number }
  | { state: 'degraded'; checkedAt: number; events: StatusEvent[] }
  | { state: 'unknown'; reason: string };

export interface AppleStatusOptions {
  url: string;
  serviceName?: string;
  timeoutMs?: number;
  cacheMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * Failures are cached briefly (never longer than cacheMs) so a flapping or
 * down endpoint is asked at most twice a minute, yet recovery shows up fast.
 */
export const UNKNOWN_CACHE_MS = 30_000;

// setTimeout fires at once for delays above this, which would defeat the timeout.
const MAX_TIMER_MS = 2_147_483_647;

const PROBLEM_TYPES: ReadonlySet<string> = new Set(['Outage', 'Issue', 'Performance', 'Maintenance']);

export class AppleStatusClient {
  private readonly url: string;
  private readonly serviceName: string;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;

  private cached: { status: ServiceStatus; expiresAt: number } | undefined;
  private inFlight: Promise<ServiceStatus> | undefined;

  /** Throws at once on bad options: a misconfigured client should stop startup, not fail quietly per call. */
  constructor(options: AppleStatusOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('AppleStatusClient: options object is required');
    }
    this.url = validateUrl(options.url);

    const serviceName = options.serviceName ?? 'iCloud Backup';
    if (typeof serviceName !== 'string' || serviceName.trim() === '') {
      throw new TypeError('AppleStatusClient: serviceName must be a non-empty string');
    }
    this.serviceName = serviceName.trim();

    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? 2000);
    if (this.timeoutMs > MAX_TIMER_MS) {
      throw new RangeError(`AppleStatusClient: timeoutMs must be at most ${MAX_TIMER_MS}`);
    }
    this.cacheMs = positive('cacheMs', options.cacheMs ?? 300_000);

    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('AppleStatusClient: now must be a function');
    }
    this.now = options.now ?? Date.now;

    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw new TypeError('AppleStatusClient: fetch must be a function');
    }
    // Looked up per call so a later-installed global fetch is honoured.
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Never throws: anything that goes wrong becomes `{ state: 'unknown' }`. */
  async check(): Promise<ServiceStatus> {
    try {
      if (this.cached && this.now() < this.cached.expiresAt) return this.cached.status;
      // Callers arriving mid-fetch share the request instead of starting their own.
      if (!this.inFlight) {
        this.inFlight = this.refresh().finally(() => {
          this.inFlight = undefined;
        });
      }
      return await this.inFlight;
    } catch (err) {
      return unknown(`status check failed: ${describe(err)}`);
    }
  }

  private async refresh(): Promise<ServiceStatus> {
    const status = await this.fetchWithTimeout();
    const ttl = status.state === 'unknown' ? Math.min(UNKNOWN_CACHE_MS, this.cacheMs) : this.cacheMs;
    this.cached = { status, expiresAt: this.now() + ttl };
    return status;
  }

  private async fetchWithTimeout(): Promise<ServiceStatus> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Racing as well as aborting keeps the deadline even if an injected fetch ignores the signal.
    const deadline = new Promise<ServiceStatus>((resolve) => {
      timer = setTimeout(() => {
        resolve(unknown(`timed out after ${this.timeoutMs} ms`));
        controller.abort();
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([this.fetchOnce(controller.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchOnce(signal: AbortSignal): Promise<ServiceStatus> {
    let body: string;
    try {
      const fetchFn = this.fetchFn;
      const res = await fetchFn(this.url, { signal, headers: { accept: 'application/javascript, application/json, */*' } });
      if (!res.ok) {
        // Release the connection; the error body is of no use.
        await res.body?.cancel().catch(() => undefined);
        return unknown(`HTTP ${res.status}`);
      }
      body = await res.text();
    } catch (err) {
      return unknown(`network error: ${describe(err)}`);
    }
    return parseStatus(body, this.serviceName, this.now());
  }
}

/** Turns the feed body into a status for one service; exported for direct tests. */
export function parseStatus(body: string, serviceName: string, checkedAt: number): ServiceStatus {
  // The feed is JSONP (`jsonCallback({...});`); the JSON is the outermost braces.
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return unknown('unparseable body: no JSON object found');

  let data: unknown;
  try {
    data = JSON.parse(body.slice(start, end + 1));
  } catch (err) {
    return unknown(`unparseable body: ${describe(err)}`);
  }

  const services = isRecord(data) ? data.services : undefined;
  if (!Array.isArray(services)) return unknown('unparseable body: no services list');

  const wanted = serviceName.toLowerCase();
  const service = services.find(
    (s): s is Record<string, unknown> =>
      isRecord(s) && typeof s.serviceName === 'string' && s.serviceName.trim().toLowerCase() === wanted,
  );
  if (!service) return unknown(`service "${serviceName}" not in status list`);

  const rawEvents = service.events ?? [];
  if (!Array.isArray(rawEvents)) return unknown('unparseable body: events is not a list');

  const events: StatusEvent[] = [];
  for (const e of rawEvents) {
    if (!isRecord(e) || e.eventStatus !== 'ongoing') continue;
    // 'Available' or a type we do not know says nothing we can tell the user.
    if (typeof e.statusType !== 'string' || !PROBLEM_TYPES.has(e.statusType)) continue;
    const event: StatusEvent = { statusType: e.statusType as ProblemType };
    if (typeof e.message === 'string' && e.message.trim() !== '') event.message = e.message.trim();
    if (typeof e.startDate === 'string' && e.startDate !== '') event.startDate = e.startDate;
    events.push(event);
  }

  return events.length > 0 ? { state: 'degraded', checkedAt, events } : { state: 'available', checkedAt };
}

function validateUrl(url: unknown): string {
  if (typeof url !== 'string') throw new TypeError('AppleStatusClient: url must be a string');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`AppleStatusClient: url is not a valid URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`AppleStatusClient: url must be http(s), got ${parsed.protocol}`);
  }
  return parsed.toString();
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`AppleStatusClient: ${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

function unknown(reason: string): ServiceStatus {
  return { state: 'unknown', reason };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    // undici hides the useful part (ECONNREFUSED etc.) in `cause`.
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
