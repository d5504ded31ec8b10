import { prng } from './prng';

/** Keyboard rows, for mashes that walk along them ("asdfgh", "sdfkjh"). */
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Deterministic keyboard mashes: runs along a keyboard row, repeated short
 * chunks ("fgfgfg", "lkjlkj"), random letters. They teach the out-of-scope
 * label what "no word at all" looks like without any real nonsense from users
 * being needed; the preprocessor reads them as non-words, so what the model
 * learns is the non-word share, not these strings.
 */
export function keyboardMashes(count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = (s: string): string => s.charAt(Math.floor(random() * s.length));
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const walk = (): string => {
    const row = ROWS[between(0, ROWS.length - 1)] as string;
    let i = between(0, row.length - 1);
    let out = '';
    for (let n = between(3, 8); n > 0; n--) {
      out += row.charAt(i);
      i = Math.max(0, Math.min(row.length - 1, i + (random() < 0.8 ? 1 : -1) * between(1, 2)));
    }
    return out;
  };
  const chunk = (): string => {
    let unit = '';
    for (let n = between(2, 3); n > 0; n--) unit += pick(LETTERS);
    return unit.repeat(between(2, 3));
  };
  const letters = (): string => {
    let out = '';
    for (let n = between(3, 9); n > 0; n--) out += pick(LETTERS);
    return out;
  };
  const makers = [walk, chunk, letters];
  return Array.from({ length: count }, () => {
    const words: string[] = [];
    for (let n = between(1, 3); n > 0; n--) words.push((makers[between(0, makers.length - 1)] as () => string)());
    return words.join(' ');
  });
}
