import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { foldExample } from '../../src/content/load-intents';

/** Every training example under intents/ (nested folders included), folded, whatever shape its list has. */
export function trainingTexts(dir: string): Set<string> {
  const texts = new Set<string>();
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) collect((parse(readFileSync(full, 'utf8')) as { examples?: unknown })?.examples);
    }
  };
  const collect = (node: unknown): void => {
    if (typeof node === 'string') texts.add(foldExample(node));
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') Object.values(node).forEach(collect);
  };
  walk(dir);
  return texts;
}

/** The texts of an evaluation file under test/nlu/, whatever its layout (a list of examples, or lists per prompt). */
export function splitTexts(file: string): string[] {
  const data = parse(readFileSync(join(__dirname, file), 'utf8')) as {
    examples?: Array<{ text: string }>;
    prompts?: Record<string, Array<{ text: string }>>;
  };
  const lists = data.examples ? [data.examples] : Object.values(data.prompts ?? {});
  return lists.flat().map((e) => e.text);
}
