/**
 * An activity on the wire. Deliberately loose: botbuilder's `Activity` type
 * demands fields (conversation.isGroup, from.name) that real channels omit.
 */
export interface WireActivity {
  [field: string]: unknown;
  type?: string;
  id?: string;
}

/** An activity as Direct Line clients see it: it always has an id. */
export type ClientActivity = WireActivity & { id: string };

/** What the GET /activities route and the WebSocket stream send. */
export interface ActivitySet {
  activities: ClientActivity[];
  watermark: string;
}

export interface LogLimits {
  /** Activities kept; the oldest are dropped beyond this (watermarks keep counting). */
  maxActivities: number;
  /** Bytes of activity JSON kept; the oldest are dropped beyond this, but the newest always stays. */
  maxBytes: number;
}

interface Line {
  seq: number;
  /** Kept as JSON: what is counted is what is held, and nobody can change a logged activity. */
  json: string;
  bytes: number;
}

/** A client's watermark as a sequence number; anything else (empty, "undefined", absurdly long) means "none". */
export function parseWatermark(watermark: string | undefined): number | undefined {
  return watermark !== undefined && /^\d{1,15}$/.test(watermark) ? Number(watermark) : undefined;
}

/** One conversation's activities, numbered for watermarks and capped in count and bytes. */
export class ConversationLog {
  private readonly lines: Line[] = [];
  private seq: number;
  private total = 0;

  /** `lastSeq`: the number of the last activity a client may already have seen (a re-created conversation goes on from it). */
  constructor(
    private readonly conversationId: string,
    private readonly limits: LogLimits,
    lastSeq = -1,
  ) {
    this.seq = lastSeq;
  }

  get bytes(): number {
    return this.total;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Gives the activity its Direct Line id (`<conversation>|<seq>`) and logs it. */
  append(activity: WireActivity): ClientActivity {
    this.seq += 1;
    const stored: ClientActivity = { ...activity, id: `${this.conversationId}|${String(this.seq).padStart(7, '0')}` };
    const json = JSON.stringify(stored);
    const bytes = Buffer.byteLength(json);
    this.lines.push({ seq: this.seq, json, bytes });
    this.total += bytes;
    let drop = 0;
    while (this.lines.length - drop > 1 && (this.lines.length - drop > this.limits.maxActivities || this.total > this.limits.maxBytes)) {
      this.total -= this.lines[drop]!.bytes;
      drop += 1;
    }
    if (drop > 0) this.lines.splice(0, drop);
    return stored;
  }

  /** Activities after `watermark` (none = from the start) and the new watermark. */
  after(watermark: string | undefined): ActivitySet {
    const from = parseWatermark(watermark) ?? -1;
    const activities = this.lines.filter((l) => l.seq > from).map((l) => JSON.parse(l.json) as ClientActivity);
    const last = Math.max(this.seq, from);
    return { activities, watermark: last < 0 ? '' : String(last) };
  }
}
