import { Invalid, type Parsed } from './parsed.js';

const BAD_ASIN = new Invalid('not an ASIN: expected 10 letters or digits');

function isAsinText(text: string): boolean {
  if (text.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = text.charCodeAt(i);
    // 0-9 or A-Z
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

/**
 * An Audible ASIN: ten upper-case letters or digits (`B0...`, or an ISBN-10 for older titles).
 * Lower case is accepted and upper-cased, since Amazon treats ASINs case-insensitively.
 */
export function parseAsin(value: unknown): Parsed<string> {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return BAD_ASIN;
  let text = value.trim();
  if (text === '') return null;
  if (isAsinText(text)) return text;
  text = text.toUpperCase();
  return isAsinText(text) ? text : BAD_ASIN;
}

export function isAsin(value: unknown): value is string {
  return typeof value === 'string' && isAsinText(value);
}
