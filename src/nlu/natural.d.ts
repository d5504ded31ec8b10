/**
 * Types for the `natural` subpaths the NLU imports. natural's root module pulls
 * in storage backends that print dotenv banners, so we import by subpath; its
 * own typings only cover the root and folder index files.
 */
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: {
    stem(token: string): string;
  };
  export = PorterStemmer;
}

declare module 'natural/lib/natural/distance/levenshtein_distance' {
  export function DamerauLevenshteinDistance(source: string, target: string, options?: { transposition_cost?: number; restricted?: boolean }): number;
}
