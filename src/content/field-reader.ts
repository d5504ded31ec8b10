import type { ContentError, YamlFile, YamlPath } from './yaml-file';

type Obj = Record<string, unknown>;

/**
 * Reads typed fields out of a parsed YAML value, collecting a coded error
 * (with file and line) for every field that is missing or of the wrong type,
 * so one start-up reports every mistake at once.
 */
export class FieldReader {
  readonly errors: ContentError[] = [];

  constructor(readonly file: YamlFile) {}

  fail(path: YamlPath, reason: string, code = 'SCHEMA'): void {
    this.errors.push(this.file.error(code, path, reason));
  }

  object(value: unknown, path: YamlPath): Obj | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Obj;
    this.fail(path, `${describe(path)} must be a mapping`);
    return undefined;
  }

  list(obj: Obj, key: string, path: YamlPath, { nonEmpty = true } = {}): unknown[] {
    const value = obj[key];
    if (Array.isArray(value) && (!nonEmpty || value.length > 0)) return value;
    this.fail([...path, key], `${describe([...path, key])} must be a ${nonEmpty ? 'non-empty ' : ''}list`);
    return [];
  }

  string(obj: Obj, key: string, path: YamlPath): string {
    const value = obj[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.fail([...path, key], `${describe([...path, key])} must be non-empty text`);
    return '';
  }

  optionalString(obj: Obj, key: string, path: YamlPath): string | undefined {
    return obj[key] === undefined ? undefined : this.string(obj, key, path);
  }

  integer(obj: Obj, key: string, path: YamlPath, min: number): number {
    const value = obj[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
    this.fail([...path, key], `${describe([...path, key])} must be a whole number ≥ ${min}`);
    return Number.NaN; // cross-checks skip it rather than report a knock-on error
  }

  /** Rejects keys the schema does not know: a typo must not silently drop content. */
  onlyKeys(obj: Obj, allowed: readonly string[], path: YamlPath): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail([...path, key], `unknown field "${key}" (expected one of: ${allowed.join(', ')})`, 'UNKNOWN_FIELD');
      }
    }
  }

  version(obj: Obj): void {
    if (obj.version !== 1) this.fail(['version'], 'version must be 1', 'VERSION');
  }
}

function describe(path: YamlPath): string {
  return path.length === 0 ? 'the file' : `"${path.join('.')}"`;
}
