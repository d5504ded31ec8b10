import type { DeviceEntity, Entity, SizeEntity } from './types';

/**
 * Entity extraction: data sizes (normalised to decimal GB, with the role the
 * nearby words give them), iPhone models and iOS versions. Works on the text as
 * the user typed it so `start`/`end` index into that text.
 */

/** Gigabytes per unit, decimal as iOS shows sizes. */
const UNIT_GB: ReadonlyArray<[RegExp, number]> = [
  [/^(?:tb|tbs|terabytes?|tera)$/, 1000],
  [/^(?:gb|gbs|gig|gigs|gigabytes?|giga)$/, 1],
  [/^(?:mb|mbs|meg|megs|megabytes?|mega)$/, 0.001],
  [/^(?:kb|kbs|kilobytes?)$/, 0.000001],
  [/^bytes?$/, 0.000000001],
];

const UNITS = 'tb|tbs|terabytes?|tera|gb|gbs|gigabytes?|gigs?|giga|mb|mbs|megabytes?|megs?|mega|kb|kbs|kilobytes?|bytes?';

/**
 * A number (with `,`/`.` as decimal mark, or `,` as thousands separator when
 * followed by exactly three digits) and a unit. Not preceded by a letter or
 * digit, so "ios17gb" or "a1.5gb" are not sizes.
 */
export const SIZE_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}.,])(\\d{1,3}(?:,\\d{3})+(?![\\d,])|\\d+)(?:[.,](\\d+))?\\s*(${UNITS})(?![\\p{L}\\p{N}])`,
  'giu',
);

/** Percentages: "45%", "80 percent", "12 per cent". */
export const PERCENT_PATTERN = /(?<![\p{L}\p{N}.,])\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s?cent\b|pct\b)/giu;

export const IPHONE_PATTERN =
  /\biphone\s?(\d{1,2}s?|se|xr|xs|x)(?:\s?(pro\s?max|pro|plus|max|mini|e)(?![\p{L}]))?(?![\p{L}\p{N}])/giu;

export const IOS_PATTERN = /\bios\s?(\d{1,2}(?:\.\d{1,2}){0,2})(?![\p{N}])/giu;

/** Words that end the phrase a size belongs to. */
const CLAUSE_BREAK = /^(?:and|but|while|whereas|though|although|so|because|plus|yet|or)$/;
/** Right after a size: "5 GB free", "2 gigs left", "3gb backup". */
const RIGHT_FREE = /^(?:free|available|availible|avail|left|remaining|spare|unused|empty)$/;
const RIGHT_BACKUP = /^(?:backups?|bakup|backp|back)$/;
/** Words saying the size is neither (a plan, a total, space already used). */
const NEITHER = /^(?:plan|plans|tier|subscription|total|used|full|out)$/;
/** Before a size, nearest first: "backup is 3.4 GB", "icloud free is 6gb". */
const LEFT_BACKUP = /^(?:backups?|bakup|backp|whatsapp|whatsap|chats?|size|sized|needs?|needed|takes?|requires?|weighs?|up)$/;
const LEFT_FREE = /^(?:free|available|left|remaining|spare)$/;
/** "has 5 GB", "i have 5gb": free space, unless the one who has it is the backup. */
const LEFT_HAS = /^(?:has|have|got|having)$/;
/** Weak hint, used only when no stronger word is near: "but only 5 GB on icloud". */
const LEFT_WEAK_FREE = /^(?:only|just)$/;

interface Word {
  text: string;
  start: number;
  end: number;
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)?|[,.;:!?()]/gu)) {
    words.push({ text: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return words;
}

function isBreak(word: string): boolean {
  return /^[,.;:!?()]$/.test(word) || CLAUSE_BREAK.test(word);
}

/** Decides whether a size is the backup's or the free space, from nearby words. */
function roleOf(words: Word[], start: number, end: number, sizeSpans: Array<[number, number]>): SizeEntity['role'] {
  const insideOtherSize = (w: Word): boolean => sizeSpans.some(([s, e]) => w.start >= s && w.end <= e);
  const after = words.filter((w) => w.start >= end);
  for (const w of after.slice(0, 3)) {
    if (isBreak(w.text) || insideOtherSize(w)) break;
    if (RIGHT_FREE.test(w.text)) return 'free';
    if (NEITHER.test(w.text)) return undefined;
    if (RIGHT_BACKUP.test(w.text)) return 'backup';
  }
  const before = words.filter((w) => w.end <= start).reverse();
  let weak: SizeEntity['role'];
  for (const [i, w] of before.slice(0, 5).entries()) {
    if (isBreak(w.text) || insideOtherSize(w)) break;
    if (NEITHER.test(w.text)) return undefined;
    if (LEFT_FREE.test(w.text)) return 'free';
    if (LEFT_BACKUP.test(w.text)) {
      // "back up 3gb" and "backup 3gb" both name the backup; a bare "up" only after "back".
      if (w.text !== 'up' || before[i + 1]?.text === 'back') return 'backup';
      continue;
    }
    if (LEFT_HAS.test(w.text)) {
      // "icloud has 5 GB", "i have 5gb" → free; "my backup has 3gb" → backup.
      const subject = before[i + 1]?.text ?? '';
      return LEFT_BACKUP.test(subject) && subject !== 'up' ? 'backup' : 'free';
    }
    if (!weak && LEFT_WEAK_FREE.test(w.text)) weak = 'free';
  }
  return weak;
}

function unitFactor(unit: string): number {
  const lower = unit.toLowerCase();
  for (const [pattern, factor] of UNIT_GB) if (pattern.test(lower)) return factor;
  return 1;
}

/** Sizes in the text, value in decimal GB (1 GB = 1000 MB). */
export function extractSizes(text: string): SizeEntity[] {
  const matches = [...text.matchAll(SIZE_PATTERN)];
  const spans = matches.map((m): [number, number] => [m.index, m.index + m[0].length]);
  const words = wordsOf(text);
  return matches.map((m, i) => {
    const whole = (m[1] ?? '0').replace(/,/g, '');
    const number = Number(m[2] === undefined ? whole : `${whole}.${m[2]}`);
    const value = Math.round(number * unitFactor(m[3] ?? 'gb') * 1e9) / 1e9;
    const [start, end] = spans[i] as [number, number];
    const entity: SizeEntity = { entity: 'size', value, text: m[0], start, end };
    const role = roleOf(words, start, end, spans.filter((_, j) => j !== i));
    if (role) entity.role = role;
    return entity;
  });
}

const SPECIAL_MODELS: Readonly<Record<string, string>> = { se: 'SE', xr: 'XR', xs: 'XS', x: 'X' };

function titleModel(model: string, variant: string | undefined): string {
  const base = SPECIAL_MODELS[model.toLowerCase()] ?? model.toLowerCase();
  if (!variant) return `iPhone ${base}`;
  const v = variant.toLowerCase().replace(/\s+/g, '');
  if (v === 'e') return `iPhone ${base}e`;
  // Apple's own spelling: "iPhone 14 Pro Max", "iPhone 15 Plus", but "iPhone 13 mini".
  const words = v === 'promax' ? ['Pro', 'Max'] : v === 'mini' ? ['mini'] : [v.charAt(0).toUpperCase() + v.slice(1)];
  return `iPhone ${base} ${words.join(' ')}`;
}

/** iPhone models ("iphone 12 pro" → "iPhone 12 Pro") and iOS versions ("ios 17.2" → "17.2"). */
export function extractDevices(text: string): DeviceEntity[] {
  const found: DeviceEntity[] = [];
  for (const m of text.matchAll(IPHONE_PATTERN)) {
    found.push({
      entity: 'iphone_model',
      value: titleModel(m[1] ?? '', m[2]),
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of text.matchAll(IOS_PATTERN)) {
    found.push({ entity: 'ios_version', value: m[1] ?? '', text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/** Every entity in the text, in order of position. */
export function extractEntities(text: string): Entity[] {
  return [...extractSizes(text), ...extractDevices(text)].sort((a, b) => a.start - b.start);
}
