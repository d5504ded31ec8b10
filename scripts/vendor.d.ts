/**
 * Minimal typings for the baseline libraries the evaluation compares against
 * (natural's classifiers by subpath, to skip the root module's dotenv banners;
 * nlp.js ships no typings).
 */
declare module 'natural/lib/natural/classifiers' {
  interface Classification {
    label: string;
    value: number;
  }
  class NaturalClassifier {
    addDocument(text: string, label: string): void;
    train(): void;
    classify(text: string): string;
    getClassifications(text: string): Classification[];
  }
  export class BayesClassifier extends NaturalClassifier {}
  export class LogisticRegressionClassifier extends NaturalClassifier {}
}

declare module '@nlpjs/nlp' {
  interface NlpResult {
    intent: string;
    score: number;
    classifications?: Array<{ intent: string; score: number }>;
  }
  export class Nlp {
    constructor(settings?: Record<string, unknown>);
    use(plugin: unknown): void;
    addLanguage(locale: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
  }
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
