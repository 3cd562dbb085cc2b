/**
 * ISBN and ASIN handling. Trackers write ISBNs with hyphens, spaces, Excel formula wrappers
 * (`="0441013597"`) or lower-case `x`; only checksum-valid ISBNs count, so a typo never
 * becomes an identity match.
 */

/** Strips Goodreads' Excel wrapper `="..."`, quotes, hyphens and spaces; upper-cases an X. */
export function cleanIdentifier(raw: string | null | undefined): string {
  if (!raw) return '';
  let s = raw.trim();
  if (s.startsWith('=')) s = s.slice(1);
  s = s.replace(/^"+|"+$/g, '');
  return s.replace(/[\s\u00a0-]/g, '').toUpperCase();
}

export function isValidIsbn10(s: string): boolean {
  if (!/^\d{9}[\dX]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (s[i] === 'X' ? 10 : Number(s[i]));
  return sum % 11 === 0;
}

export function isValidIsbn13(s: string): boolean {
  if (!/^97[89]\d{10}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(s[i]) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

export function isbn10To13(isbn10: string): string | null {
  if (!isValidIsbn10(isbn10)) return null;
  const body = `978${isbn10.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}

/** Only 978- ISBNs have an ISBN-10 form; 979- ones do not. */
export function isbn13To10(isbn13: string): string | null {
  if (!isValidIsbn13(isbn13) || !isbn13.startsWith('978')) return null;
  const body = isbn13.slice(3, 12);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(body[i]);
  const check = (11 - (sum % 11)) % 11;
  return body + (check === 10 ? 'X' : String(check));
}

export interface Isbns {
  isbn10: string | null;
  isbn13: string | null;
}

/**
 * Reads one ISBN of either length and returns both forms (when they exist). Invalid or empty
 * input gives nulls; `valid: false` tells a non-empty but unusable value apart from an absent one.
 */
export function parseIsbn(raw: string | null | undefined): Isbns & { valid: boolean; empty: boolean } {
  const s = cleanIdentifier(raw);
  if (!s) return { isbn10: null, isbn13: null, valid: false, empty: true };
  if (isValidIsbn10(s)) return { isbn10: s, isbn13: isbn10To13(s), valid: true, empty: false };
  if (isValidIsbn13(s)) return { isbn10: isbn13To10(s), isbn13: s, valid: true, empty: false };
  return { isbn10: null, isbn13: null, valid: false, empty: false };
}

/** Amazon product ids for digital items: `B0` + 8 letters or digits. ISBN-10 ASINs are handled as ISBNs. */
export function parseAsin(raw: string | null | undefined): string | null {
  const s = cleanIdentifier(raw);
  return /^B0[0-9A-Z]{8}$/.test(s) ? s : null;
}

/**
 * Every ISBN-13 an Audible ASIN stands for: older Audible (and Audible-distributed) titles carry
 * their ISBN-10 as ASIN. Returns an empty list for `B0...` ASINs.
 */
export function isbnsOfAsin(asin: string): string[] {
  const s = cleanIdentifier(asin);
  const isbn13 = isbn10To13(s);
  return isbn13 ? [isbn13] : [];
}
