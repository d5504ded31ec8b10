/**
 * Text normalisation and tokenising shared by training and parsing: the same
 * function must see both, or the model learns features it never meets again.
 */

/** Unicode NFKC, lower case, typographic quotes folded to ASCII. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032`\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"');
}

/**
 * Chat shorthand that a character n-gram cannot bridge, mapped to its words.
 * A Map, not an object literal: user words are looked up here, and "constructor"
 * must not find Object.prototype's.
 */
const SHORTHAND: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  u: ['you'],
  ya: ['you'],
  ur: ['your'],
  r: ['are'],
  pls: ['please'],
  plz: ['please'],
  pleas: ['please'],
  rn: ['right', 'now'],
  asap: ['right', 'now'],
  thx: ['thanks'],
  thnx: ['thanks'],
  thanx: ['thanks'],
  tnx: ['thanks'],
  tks: ['thanks'],
  ty: ['thank', 'you'],
  tysm: ['thank', 'you', 'so', 'much'],
  vids: ['videos'],
  vid: ['video'],
  msgs: ['messages'],
  msg: ['message'],
  wa: ['whatsapp'],
  cuz: ['because'],
  bc: ['because'],
  im: ['i', 'am'],
  idk: ['i', 'do', 'not', 'know'],
  nvm: ['never', 'mind'],
  nevermind: ['never', 'mind'],
}));

const TOKEN = /__[a-z]+__|[\p{L}\p{N}]+/gu;

/**
 * Splits normalised text into word tokens. Apostrophes inside words vanish
 * ("doesn't" → "doesnt"), letters repeated three or more times collapse
 * ("heyyy" → "hey"), shorthand expands ("rn" → "right now").
 */
export function tokenize(normalized: string): string[] {
  const joined = normalized.replace(/(\p{L})'(?=\p{L})/gu, '$1');
  const tokens: string[] = [];
  for (const match of joined.matchAll(TOKEN)) {
    let token = match[0];
    if (!token.startsWith('__')) token = token.replace(/(\p{L})\1{2,}/gu, '$1');
    const expanded = SHORTHAND.get(token);
    if (expanded) tokens.push(...expanded);
    else tokens.push(token);
  }
  return tokens;
}

/** True for placeholder tokens such as `__size__` that stand for a masked value. */
export function isPlaceholder(token: string): boolean {
  return token.startsWith('__') && token.endsWith('__');
}
