/**
 * Trigram similarity with the same results as PostgreSQL pg_trgm's `show_trgm()` and
 * `similarity()` (PostgreSQL 15, UTF-8 database, glibc C.UTF-8 / any UTF-8 ctype):
 *
 * - words are maximal runs of alphabetic characters or digits (glibc's `iswalpha`, which is
 *   Unicode `Alphabetic` plus every decimal digit); everything else separates words;
 * - each word is lower-cased one code point at a time (simple case mapping, like `towlower`),
 *   then padded with two spaces in front and one behind;
 * - a trigram is three consecutive characters; one whose UTF-8 form is not exactly 3 bytes is
 *   compressed to 3 bytes with PostgreSQL's legacy CRC-32, as pg_trgm does, so collisions
 *   happen exactly where they happen in PostgreSQL;
 * - similarity = shared / (|a| + |b| - shared) over the sets of unique trigrams, in single
 *   precision (`real`), and 0 when either side has no trigram.
 *
 * A trigram is represented as a 24-bit integer (its three bytes, little-endian), so sets are
 * sorted Int32Arrays that intersect by a linear merge.
 */

const WORD_CHAR = /[\p{Alphabetic}\p{Nd}]/u;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * PostgreSQL's "legacy" CRC-32 (pg_crc.h COMP_LEGACY_CRC32): the reflected table driven in the
 * non-reflected direction. Kept bit-for-bit because pg_trgm hashes multibyte trigrams with it.
 */
function legacyCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]! ^ (crc << 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

const encoder = new TextEncoder();
const lowerCache = new Map<string, string>();

/** towlower-like: one code point to one code point, no context (final sigma stays σ). */
function lowerChar(ch: string): string {
  let lower = lowerCache.get(ch);
  if (lower === undefined) {
    const full = ch.toLowerCase();
    // Full case mapping can expand (U+0130 İ -> i + combining dot); towlower maps to one char.
    lower = [...full].length === 1 ? full : ch === '\u0130' ? 'i' : ch;
    lowerCache.set(ch, lower);
  }
  return lower;
}

function trigramKey(a: string, b: string, c: string): number {
  const code = (a.codePointAt(0)! | b.codePointAt(0)! | c.codePointAt(0)!) < 0x80;
  if (code) return a.charCodeAt(0) | (b.charCodeAt(0) << 8) | (c.charCodeAt(0) << 16);
  const bytes = encoder.encode(a + b + c);
  if (bytes.length === 3) return bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
  return legacyCrc32(bytes) & 0xffffff;
}

/** Splits text into pg_trgm words, already lower-cased. */
export function trigramWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const ch of text) {
    if (WORD_CHAR.test(ch)) word += lowerChar(ch);
    else if (word) {
      words.push(word);
      word = '';
    }
  }
  if (word) words.push(word);
  return words;
}

const PRINTABLE_ASCII = /^[\x00-\x7f]*$/;
let scratch = new Int32Array(256);

function sortedUnique(keys: Int32Array): Int32Array {
  keys.sort();
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) keys[n++] = keys[i]!;
  return keys.slice(0, n);
}

/** The same trigrams for pure ASCII text without building strings: the hot path of matching. */
function asciiTrigramSet(text: string): Int32Array {
  if (scratch.length < text.length * 3 + 3) scratch = new Int32Array(text.length * 3 + 3);
  let n = 0;
  let a = 32; // the two characters before the current one, spaces at a word start
  let b = 32;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 32;
    const isWord = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (isWord) {
      if (c <= 90 && c >= 65) c += 32;
      if (!inWord) {
        a = 32;
        b = 32;
        inWord = true;
      }
      scratch[n++] = a | (b << 8) | (c << 16);
      a = b;
      b = c;
    } else if (inWord) {
      scratch[n++] = a | (b << 8) | (32 << 16);
      inWord = false;
    }
  }
  // Sort and deduplicate inside the scratch buffer; allocate only the result.
  const keys = scratch.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) keys[m++] = keys[i]!;
  return keys.slice(0, m);
}

/** Sorted unique trigram keys of `text`, as pg_trgm's `show_trgm` computes them. */
export function trigramSet(text: string): Int32Array {
  if (PRINTABLE_ASCII.test(text)) return asciiTrigramSet(text);
  const keys: number[] = [];
  for (const word of trigramWords(text)) {
    const chars = ['  ', ...word, ' '].flatMap((part) => (part === '  ' ? [' ', ' '] : [part]));
    for (let i = 0; i + 2 < chars.length; i++) keys.push(trigramKey(chars[i]!, chars[i + 1]!, chars[i + 2]!));
  }
  return sortedUnique(Int32Array.from(keys));
}

/** Number of trigrams two sorted sets share. */
export function sharedTrigrams(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/** pg_trgm `similarity()` of two precomputed trigram sets. */
export function setSimilarity(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = sharedTrigrams(a, b);
  // pg_trgm computes in float4; double then fround gives the same correctly rounded value.
  return Math.fround(shared / (a.length + b.length - shared));
}

/** pg_trgm `similarity(a, b)`. */
export function similarity(a: string, b: string): number {
  return setSimilarity(trigramSet(a), trigramSet(b));
}

/** Renders a set like `show_trgm()` does: alphanumeric ASCII trigrams as text, others as 0xhhhhhh. */
export function showTrigrams(text: string): string[] {
  const printable = (b: number) => b === 0x20 || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
  return Array.from(trigramSet(text), (key) => {
    const bytes = [key & 0xff, (key >> 8) & 0xff, (key >> 16) & 0xff];
    return bytes.every(printable) ? String.fromCharCode(...bytes) : `0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  });
}
