import transliterate from '@sindresorhus/transliterate';

/**
 * Names in another script, to Latin letters. Cyrillic, Greek and the other scripts with a
 * letter-for-letter romanisation go through @sindresorhus/transliterate (no CJK tables: a Chinese
 * reading of a Japanese name would be wrong, so Han, kana and Hangul stay as written and are left
 * to the online step). Only @sagasync/matcher imports it, and only code that matches loads it.
 */

const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;

export interface Romanised {
  text: string;
  /** `latin`: written in Latin letters; `transliterated`: romanised here; `foreign`: in a script left as is. */
  script: 'latin' | 'transliterated' | 'foreign';
}

export function romanise(text: string): Romanised {
  if (!NON_LATIN_LETTER.test(text)) return { text, script: 'latin' };
  const romanised = transliterate(text);
  return NON_LATIN_LETTER.test(romanised) ? { text, script: 'foreign' } : { text: romanised, script: 'transliterated' };
}

/**
 * A spelling-insensitive key for a romanised name, so that the usual ways of writing one Russian or
 * Greek name meet: Chekhov / Chehov, Dostoevskiy / Dostoyevsky / Dostoevskii, Tolstoy / Tolstoj,
 * Nikolay / Nikolai, Yevgeny / Evgeniy. Used only to call two names "nearly the same".
 */
export function looseNameKey(folded: string): string {
  return folded
    .replace(/ts?ch/g, 'ch')
    .replace(/kh/g, 'h')
    .replace(/ph/g, 'f')
    .replace(/w/g, 'v')
    .replace(/j/g, 'y')
    .replace(/^ye/, 'e')
    .replace(/([aeiou])ye/g, '$1e')
    .replace(/yev/g, 'ev')
    .replace(/yo/g, 'e')
    .replace(/y([aeiou])/g, 'i$1')
    .replace(/(?:iy|ii|yi|ei|ey|y)$/, 'i')
    .replace(/(.)\1+/g, '$1');
}
