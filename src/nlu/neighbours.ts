import type { Lexicon } from './lexicon';

export interface NeighbourOptions {
  /** Cosine similarity a training word needs to stand in for an unknown word (0 turns it off). */
  minSimilarity: number;
  /**
   * Training words among the language's this-many most frequent are never
   * stand-ins: function words ("the", "it") are near everything.
   */
  skipTopRanks: number;
}

export const DEFAULT_NEIGHBOURS: NeighbourOptions = {
  minSimilarity: 0.7,
  skipTopRanks: 100,
};

export interface Neighbour {
  word: string;
  similarity: number;
}

/**
 * For a real word the training data never used ("reboot", "clips", "wipe"),
 * the training word nearest in meaning by word-vector cosine, when it is near
 * enough: the model then reads the message with that word instead. Candidates
 * are the training vocabulary only, so a lookup is one pass over a few
 * hundred int8 vectors; results are cached.
 */
export class WordNeighbours {
  private readonly targets: string[] = [];
  private readonly matrix: Int8Array;
  private readonly cache = new Map<string, Neighbour | null>();

  constructor(
    private readonly lexicon: Lexicon,
    vocabulary: Iterable<string>,
    private readonly options: NeighbourOptions = DEFAULT_NEIGHBOURS,
  ) {
    const rows: Int8Array[] = [];
    for (const word of vocabulary) {
      const v = lexicon.vector(word);
      if (!v || lexicon.rankOf(word) < options.skipTopRanks) continue;
      this.targets.push(word);
      rows.push(v);
    }
    this.matrix = new Int8Array(rows.length * lexicon.dims);
    rows.forEach((v, i) => this.matrix.set(v, i * lexicon.dims));
  }

  /** The nearest training word above the similarity floor, or undefined. */
  nearest(word: string): Neighbour | undefined {
    if (this.options.minSimilarity <= 0) return undefined;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    const v = this.lexicon.vector(word);
    let best: Neighbour | null = null;
    if (v) {
      const dims = this.lexicon.dims;
      const m = this.matrix;
      let bestDot = this.options.minSimilarity * 127 * 127;
      for (let t = 0, base = 0; t < this.targets.length; t++, base += dims) {
        let dot = 0;
        for (let d = 0; d < dims; d++) dot += (v[d] as number) * (m[base + d] as number);
        if (dot >= bestDot) {
          bestDot = dot;
          best = { word: this.targets[t] as string, similarity: dot / (127 * 127) };
        }
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(word, best);
    return best ?? undefined;
  }
}
