/**
 * SUPPORT_HOURS like `Mon-Fri 09:00-17:00 Europe/London` (several windows
 * separated by `;`, e.g. `Mon-Fri 09:00-17:00 Europe/London; Sat 10:00-14:00 Europe/London`).
 * Empty means always open.
 */
export interface SupportHours {
  readonly text: string;
  isOpen(at: Date): boolean;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WINDOW = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})\s+(\S+)$/i;

interface Window {
  days: Set<number>;
  from: number;
  to: number;
  zone: string;
}

/** Parses the setting; throws an Error saying what is wrong (config reports it). */
export function parseSupportHours(text: string): SupportHours {
  const trimmed = text.trim();
  const windows = trimmed ? trimmed.split(';').map((part) => parseWindow(part.trim())) : [];
  return {
    text: trimmed,
    isOpen: (at) => windows.length === 0 || windows.some((w) => inWindow(w, at)),
  };
}

function parseWindow(part: string): Window {
  const m = WINDOW.exec(part);
  if (!m) throw new Error(`"${part}" is not like "Mon-Fri 09:00-17:00 Europe/London"`);
  const first = dayIndex(m[1]!);
  const last = m[2] ? dayIndex(m[2]) : first;
  const days = new Set<number>();
  for (let d = first; ; d = (d + 1) % 7) {
    days.add(d);
    if (d === last) break;
  }
  const from = Number(m[3]) * 60 + Number(m[4]);
  const to = Number(m[5]) * 60 + Number(m[6]);
  if (Number(m[3]) > 23 || Number(m[5]) > 24 || Number(m[4]) > 59 || Number(m[6]) > 59 || to <= from) throw new Error(`"${part}": the hours must be a range within one day`);
  const zone = m[7]!;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    throw new Error(`"${part}": "${zone}" is not a time zone`);
  }
  return { days, from, to, zone };
}

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name.toLowerCase() as (typeof DAYS)[number]);
  if (i < 0) throw new Error(`"${name}" is not a day (Mon, Tue, … Sun)`);
  return i;
}

function inWindow(w: Window, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: w.zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = dayIndex(get('weekday').slice(0, 3));
  const minute = Number(get('hour')) * 60 + Number(get('minute'));
  return w.days.has(day) && minute >= w.from && minute < w.to;
}
