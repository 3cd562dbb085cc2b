/**
 * Text folding shared by title and author normalisation: compatibility forms (full-width,
 * ligatures), curly quotes, diacritics and a few letters that do not decompose (ß, ø, ł, æ),
 * lower case, punctuation to spaces, single spaces.
 */

const LETTERS: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd',
  ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i', ħ: 'h', Ħ: 'h',
};
const LETTER_RE = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/** Straight quotes and plain hyphens for their typographic variants; NFKC for ligatures and full width. */
const PLAIN_ASCII = /^[\x20-\x5f\x61-\x7e]*$/;

export function cleanTypography(text: string): string {
  // Most titles are plain ASCII: nothing to normalise but spaces.
  if (PLAIN_ASCII.test(text)) return text.replace(/ {2,}/g, ' ').trim();
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** Lower case without diacritics; apostrophes vanish (Ender's -> enders), other punctuation separates words. */
export function foldText(text: string): string {
  if (PLAIN_ASCII.test(text)) {
    return text
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/'/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return cleanTypography(text)
    .replace(LETTER_RE, (ch) => LETTERS[ch]!)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/'/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
