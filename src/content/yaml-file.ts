import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/**
 * A problem in a content file. Carries a stable code, the file and the line so
 * the bot can refuse to start with a message an author can act on.
 */
export class ContentError extends Error {
  constructor(
    readonly code: string,
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason} [${code}]`);
    this.name = 'ContentError';
  }
}

/** Several content errors reported together, so an author fixes them in one pass. */
export class ContentErrors extends Error {
  constructor(readonly errors: ContentError[]) {
    super(`content is invalid:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.name = 'ContentErrors';
  }
}

export type YamlPath = ReadonlyArray<string | number>;

/** A parsed YAML file that can say on which line any value stands. */
export class YamlFile {
  private constructor(
    readonly path: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  static read(path: string): YamlFile {
    return YamlFile.parse(path, readFileSync(path, 'utf8'));
  }

  static parse(path: string, text: string): YamlFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      let line = first.linePos?.[0]?.line ?? lines.linePos(first.pos[0]).line;
      let reason = first.message.split('\n')[0] ?? 'invalid YAML';
      // An unclosed quote is only noticed where the file ends; point at where it opens.
      const quote = first.code === 'MISSING_CHAR' ? /closing (["'])/.exec(reason)?.[1] : undefined;
      const opened = quote ? lineOfUnclosedQuote(text, quote) : undefined;
      if (opened && opened < line) {
        reason = `a ${quote} quote opened here is never closed`;
        line = opened;
      }
      throw new ContentError('YAML_SYNTAX', path, line, reason);
    }
    return new YamlFile(path, doc, lines);
  }

  /** File name without folder or extension: content ids must equal it. */
  get stem(): string {
    return basename(this.path).replace(/\.ya?ml$/, '');
  }

  /** The plain JavaScript value of the whole file. */
  toJS(): unknown {
    return this.doc.toJS();
  }

  /**
   * 1-based line of the entry at `path` (the line of its key, for a mapping
   * entry), or of its nearest existing parent when it is missing.
   */
  lineOf(path: YamlPath): number {
    for (let depth = path.length; depth >= 1; depth--) {
      const parent = this.doc.getIn(path.slice(0, depth - 1), true);
      const last = path[depth - 1];
      let node: unknown;
      if (isMap(parent)) node = parent.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === last)?.key;
      else if (isSeq(parent) && typeof last === 'number') node = parent.items[last];
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  error(code: string, path: YamlPath, reason: string): ContentError {
    return new ContentError(code, this.path, this.lineOf(path), reason);
  }
}

/** First line with an odd number of the quote character (escaped \" and doubled '' do not count). */
function lineOfUnclosedQuote(text: string, quote: string): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const bare = lines[i]!.replace(/#.*$/, '').replace(quote === '"' ? /\\"/g : /''/g, '');
    if ((bare.split(quote).length - 1) % 2 === 1) return i + 1;
  }
  return undefined;
}
