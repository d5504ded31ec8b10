/**
 * The form in which typed answers and a button's words are compared: Unicode
 * NFKC, lower case, apostrophes dropped ("can't" = "cant"), anything that is
 * not a letter, digit or emoji treated as a space.
 */
export function wordTokens(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032`\u00b4']/g, '');
  return folded.match(/[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu) ?? [];
}

export function foldWords(text: string): string {
  return wordTokens(text).join(' ');
}
