import type { SeriesPosition } from '../model/sequence.js';

/** Positions above this are junk (a product id pasted into the sequence field), not a volume. */
export const MAX_POSITION = 10_000;

const UNICODE_ROMAN: Record<string, number> = {
  'Ⅰ': 1, 'Ⅱ': 2, 'Ⅲ': 3, 'Ⅳ': 4, 'Ⅴ': 5, 'Ⅵ': 6, 'Ⅶ': 7, 'Ⅷ': 8, 'Ⅸ': 9, 'Ⅹ': 10, 'Ⅺ': 11, 'Ⅻ': 12,
  'ⅰ': 1, 'ⅱ': 2, 'ⅲ': 3, 'ⅳ': 4, 'ⅴ': 5, 'ⅵ': 6, 'ⅶ': 7, 'ⅷ': 8, 'ⅸ': 9, 'ⅹ': 10, 'ⅺ': 11, 'ⅻ': 12,
};
const ROMAN_DIGITS: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

// Words that often precede the number: "Book 4", "Books 1-3", "Vol. 2", "#5", "Part II".
// Stripped repeatedly so that "#Book 1" and "Book #4" (seen in Audible titles) work too.
const PREFIX = /^(?:books?|vol(?:ume)?s?\.?|parts?|episodes?|no\.?|nr\.?|number|tome|band|#)\s*/i;
const NUMBER = String.raw`(\d+(?:[.,]\d+)?|[ivxlc]+)`;
const SINGLE = new RegExp(`^${NUMBER}$`, 'i');
const RANGE = new RegExp(`^${NUMBER}\\s*-\\s*#?${NUMBER}$`, 'i');

function romanToNumber(text: string): number | null {
  const s = text.toLowerCase();
  if (!/^[ivxlc]+$/.test(s)) return null;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const value = ROMAN_DIGITS[s[i]!]!;
    const next = i + 1 < s.length ? ROMAN_DIGITS[s[i + 1]!]! : 0;
    total += value < next ? -value : value;
  }
  // Reject non-canonical spellings such as "IIII" or "VX" by round-tripping.
  return numberToRoman(total) === s ? total : null;
}

function numberToRoman(n: number): string {
  const table: [number, string][] = [[100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  for (const [value, letters] of table) {
    while (n >= value) {
      out += letters;
      n -= value;
    }
  }
  return out;
}

function toNumber(token: string): number | null {
  const roman = romanToNumber(token);
  if (roman !== null) return roman;
  const value = Number(token.replace(',', '.'));
  return Number.isFinite(value) && value >= 0 && value <= MAX_POSITION ? value : null;
}

/**
 * Understands a series sequence as Audible and the export tools write it. The raw text is kept by
 * the caller; this returns only the position: `1`, `2.5` (a novella), `0` (a prequel), `1-3` or
 * `Books 1–3` (an omnibus range), `Book 4`, `2, Dramatized Adaptation` (the number before the
 * comma), `Ⅳ`. Empty text, negative numbers, absurdly large numbers and junk give `none`.
 */
export function parseSequence(raw: string | null | undefined): SeriesPosition {
  if (raw === null || raw === undefined) return { kind: 'none' };
  let text = raw.normalize('NFKC').trim();
  // "(Book 1)" and "[2]": brackets around the whole sequence carry nothing.
  const bracketed = /^[([{](.*)[)\]}]$/.exec(text);
  if (bracketed) text = bracketed[1]!.trim();
  // NFKC turns "Ⅳ" into "IV"; the table covers fonts that keep the ligature form.
  text = [...text].map((ch) => (UNICODE_ROMAN[ch] !== undefined ? String(UNICODE_ROMAN[ch]) : ch)).join('');
  text = text.replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-');
  for (let stripped = text.replace(PREFIX, ''); stripped !== text; stripped = text.replace(PREFIX, '')) text = stripped;
  text = text.trim();
  // "2, Dramatized Adaptation" -> "2"; but "2,5" (a decimal comma) stays whole.
  const commaSuffix = /^([^,]+),\s+\S.*$/.exec(text);
  if (commaSuffix) text = commaSuffix[1]!.trim();
  // A trailing full stop ("Book 4.") is punctuation, not a decimal point; "1 of 3" counts the series.
  text = text.replace(/\.$/, '').replace(/\s+of\s+\d+$/i, '').trim();
  if (text === '') return { kind: 'none' };

  const single = SINGLE.exec(text);
  if (single) {
    const value = toNumber(single[1]!);
    return value === null ? { kind: 'none' } : { kind: 'number', value };
  }
  const range = RANGE.exec(text);
  if (range) {
    const start = toNumber(range[1]!);
    const end = toNumber(range[2]!);
    if (start === null || end === null || end < start) return { kind: 'none' };
    return start === end ? { kind: 'number', value: start } : { kind: 'range', start, end };
  }
  return { kind: 'none' };
}

/** A sequence as a membership stores it: the raw text verbatim beside the parsed position. */
export function readSequence(raw: string | null | undefined): { sequence: string; position: SeriesPosition } {
  return { sequence: raw ?? '', position: parseSequence(raw) };
}

/** The first position a membership covers, for sorting: ranges sort by their start. */
export function positionStart(position: SeriesPosition): number | null {
  if (position.kind === 'number') return position.value;
  if (position.kind === 'range') return position.start;
  return null;
}

/** Display form of a position: `2.5`, `1-3`, or the empty string. */
export function formatPosition(position: SeriesPosition): string {
  if (position.kind === 'number') return String(position.value);
  if (position.kind === 'range') return `${position.start}-${position.end}`;
  return '';
}
