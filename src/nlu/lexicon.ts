import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project';

/**
 * The English the NLU knows beyond its training words: a list of real words
 * (most frequent first) and, for the most frequent, 100-d unit word vectors
 * quantised to int8. Built by `npm run nlu:lexicon` (scripts/build-lexicon.ts)
 * from a registry package and committed, so nothing is fetched at run time.
 */
export const LEXICON_PATH = join(PROJECT_ROOT, 'src', 'nlu', 'assets', 'lexicon.bin');

export interface LexiconData {
  /** Where the words and vectors come from (package@version). */
  source: string;
  dims: number;
  /** Real words, most frequent first. */
  words: readonly string[];
  /** Unit vectors × 127 of the first `vectors.length / dims` words. */
  vectors: Int8Array;
}

/** The decoded file: the words stay one block of bytes, so 100,000 of them cost no 100,000 strings. */
export interface LexiconBlock {
  source: string;
  dims: number;
  /** Words in ASCII lower case, most frequent first, each followed by a newline. */
  text: Uint8Array;
  count: number;
  vectors: Int8Array;
}

interface Header {
  source: string;
  dims: number;
  words: number;
  vectors: number;
}

/**
 * Header JSON, newline, the words each followed by a newline, NUL, the int8
 * vectors. Not compressed: the file is read into one buffer that the lexicon
 * keeps for the life of the process, and nothing is freed. Brotli saved 1.1 MB
 * on disk but its decoder's 4 MB ring buffer, freed at once, raised glibc's
 * mmap threshold, so every later training buffer up to that size came from
 * the heap and stayed resident after it was freed (~13 MB of RSS at a cold
 * start, measured with /proc/self/smaps).
 */
export function encodeLexicon(data: LexiconData): Buffer {
  if (data.words.some((w) => !/^[a-z]+$/.test(w))) throw new Error('lexicon: words must be plain lower-case letters');
  const header: Header = { source: data.source, dims: data.dims, words: data.words.length, vectors: data.vectors.length / data.dims };
  const text = Buffer.from(`${JSON.stringify(header)}\n${data.words.map((w) => `${w}\n`).join('')}\0`, 'utf8');
  return Buffer.concat([text, Buffer.from(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength)]);
}

export function decodeLexicon(raw: Buffer): LexiconBlock {
  const headerEnd = raw.indexOf(10);
  const nul = raw.indexOf(0, headerEnd);
  const header = JSON.parse(raw.subarray(0, headerEnd).toString('utf8')) as Header;
  // Views over the file's bytes, not copies: a copy would briefly double its 3.3 MB (and RSS keeps the peak).
  const text = new Uint8Array(raw.buffer, raw.byteOffset + headerEnd + 1, nul - headerEnd - 1);
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === 10) count++;
  if (count !== header.words) throw new Error('lexicon: word count does not match its header');
  const vectors = new Int8Array(raw.buffer, raw.byteOffset + nul + 1, raw.length - nul - 1);
  if (vectors.length !== header.vectors * header.dims) throw new Error('lexicon: vector size does not match its header');
  return { source: header.source, dims: header.dims, text, count, vectors };
}

/** FNV-1a over a string's char codes; -1 for a string with a character no lexicon word has. */
function hashWord(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c > 127) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Word lookups over the lexicon; one instance is shared by every model in the
 * process. An open-addressing hash table of typed arrays over the block of
 * bytes: a few MB, where a Map of 100,000 strings took about 20.
 */
export class Lexicon {
  readonly dims: number;
  readonly source: string;
  readonly size: number;
  private readonly text: Uint8Array;
  private readonly starts: Int32Array;
  /** Word index + 1 per slot, 0 = empty. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly vectors: Int8Array;
  private readonly withVectors: number;

  constructor(block: LexiconBlock) {
    this.dims = block.dims;
    this.source = block.source;
    this.text = block.text;
    this.vectors = block.vectors;
    this.withVectors = block.vectors.length / block.dims;
    this.starts = new Int32Array(block.count + 1);
    let n = 0;
    block.text.forEach((b, i) => {
      if (b === 10) this.starts[++n] = i + 1;
    });
    let slots = 1;
    while (slots < block.count * 2) slots *= 2;
    this.table = new Int32Array(slots);
    this.mask = slots - 1;
    let size = 0;
    // Hashed and compared straight from the block's bytes: no string per word.
    for (let i = 0; i < block.count; i++) {
      const from = this.starts[i] as number;
      const to = (this.starts[i + 1] as number) - 1;
      let h = 0x811c9dc5;
      for (let k = from; k < to; k++) h = Math.imul(h ^ (this.text[k] as number), 0x01000193);
      let slot = (h >>> 0) & this.mask;
      let duplicate = false;
      for (; this.table[slot] !== 0; slot = (slot + 1) & this.mask) {
        if (this.sameBytes((this.table[slot] as number) - 1, from, to)) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) continue;
      this.table[slot] = i + 1;
      size++;
    }
    this.size = size;
  }

  /** Word `i` has the bytes `from`..`to` of the block. */
  private sameBytes(i: number, from: number, to: number): boolean {
    const start = this.starts[i] as number;
    if ((this.starts[i + 1] as number) - start - 1 !== to - from) return false;
    for (let k = 0; k < to - from; k++) if (this.text[start + k] !== this.text[from + k]) return false;
    return true;
  }

  private matches(i: number, word: string): boolean {
    const start = this.starts[i] as number;
    if ((this.starts[i + 1] as number) - start - 1 !== word.length) return false;
    for (let k = 0; k < word.length; k++) if (this.text[start + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  private indexOf(word: string): number {
    const h = hashWord(word);
    if (h < 0 || word.length === 0) return -1;
    for (let slot = h & this.mask; this.table[slot] !== 0; slot = (slot + 1) & this.mask) {
      const i = (this.table[slot] as number) - 1;
      if (this.matches(i, word)) return i;
    }
    return -1;
  }

  /** A real English word (of the list), as opposed to a typo or a keyboard mash. */
  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  /** Frequency rank (0 = most frequent), Infinity for a word not in the list. */
  rankOf(word: string): number {
    const i = this.indexOf(word);
    return i < 0 ? Infinity : i;
  }

  /** The word's unit vector × 127, or undefined when it has none. */
  vector(word: string): Int8Array | undefined {
    const i = this.indexOf(word);
    if (i < 0 || i >= this.withVectors) return undefined;
    return this.vectors.subarray(i * this.dims, (i + 1) * this.dims);
  }
}

let shared: Lexicon | undefined;

/** The committed lexicon, read once per process. */
export function defaultLexicon(): Lexicon {
  shared ??= new Lexicon(decodeLexicon(readFileSync(LEXICON_PATH)));
  return shared;
}
