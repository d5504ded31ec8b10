import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
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

interface Header {
  source: string;
  dims: number;
  words: number;
  vectors: number;
}

/** Brotli over: header JSON, newline, the words joined by newlines, NUL, the int8 vectors. */
export function encodeLexicon(data: LexiconData): Buffer {
  const header: Header = { source: data.source, dims: data.dims, words: data.words.length, vectors: data.vectors.length / data.dims };
  const text = Buffer.from(`${JSON.stringify(header)}\n${data.words.join('\n')}\0`, 'utf8');
  const raw = Buffer.concat([text, Buffer.from(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength)]);
  return brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
}

export function decodeLexicon(bytes: Buffer): LexiconData {
  const raw = brotliDecompressSync(bytes);
  const nul = raw.indexOf(0);
  const [head, ...words] = raw.subarray(0, nul).toString('utf8').split('\n');
  const header = JSON.parse(head as string) as Header;
  if (words.length !== header.words) throw new Error('lexicon: word count does not match its header');
  const vectors = new Int8Array(raw.buffer.slice(raw.byteOffset + nul + 1, raw.byteOffset + raw.length));
  if (vectors.length !== header.vectors * header.dims) throw new Error('lexicon: vector size does not match its header');
  return { source: header.source, dims: header.dims, words, vectors };
}

/** Word lookups over the lexicon; one instance is shared by every model in the process. */
export class Lexicon {
  private readonly rank = new Map<string, number>();
  readonly dims: number;
  readonly source: string;
  private readonly vectors: Int8Array;
  private readonly withVectors: number;

  constructor(data: LexiconData) {
    data.words.forEach((w, i) => {
      if (!this.rank.has(w)) this.rank.set(w, i);
    });
    this.dims = data.dims;
    this.source = data.source;
    this.vectors = data.vectors;
    this.withVectors = data.vectors.length / data.dims;
  }

  get size(): number {
    return this.rank.size;
  }

  /** A real English word (of the list), as opposed to a typo or a keyboard mash. */
  has(word: string): boolean {
    return this.rank.has(word);
  }

  /** Frequency rank (0 = most frequent), Infinity for a word not in the list. */
  rankOf(word: string): number {
    return this.rank.get(word) ?? Infinity;
  }

  /** The word's unit vector × 127, or undefined when it has none. */
  vector(word: string): Int8Array | undefined {
    const i = this.rank.get(word);
    if (i === undefined || i >= this.withVectors) return undefined;
    return this.vectors.subarray(i * this.dims, (i + 1) * this.dims);
  }
}

let shared: Lexicon | undefined;

/** The committed lexicon, read once per process. */
export function defaultLexicon(): Lexicon {
  shared ??= new Lexicon(decodeLexicon(readFileSync(LEXICON_PATH)));
  return shared;
}
