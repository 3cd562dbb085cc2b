import { Invalid, type Parsed } from './parsed.js';

const BAD_DATE = new Invalid('invalid date: expected an ISO 8601 date such as 2024-01-02 or 2024-01-02T15:04:05Z');
const BAD_CULTURE_DATE = new Invalid('invalid date: expected ISO 8601, 02.01.2024 15:04:05, 1/2/2024 3:04:05 PM or 02/01/2024 15:04:05');

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function dateText(y: number, mo: number, d: number): string {
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

/** UTC timestamp text with milliseconds, from parts in a zone `offsetMinutes` east of UTC. */
function timestampText(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): string {
  const epoch = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
  return new Date(epoch).toISOString();
}

function parseOffset(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

// `2019-11-29T11:40:49.000Z`, the form Audible writes almost always: validated in place and
// returned unchanged, without a regex or a Date.
function fastIsoTimestamp(text: string): boolean {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return false;
  for (let i = 0; i < 23; i++) {
    const c = text.charCodeAt(i);
    const expected = i === 4 || i === 7 ? 45 : i === 13 || i === 16 ? 58 : i === 19 ? 46 : i === 10 ? 84 : -1;
    if (expected === -1 ? c < 48 || c > 57 : c !== expected) return false;
  }
  const num = (from: number, to: number): number => Number(text.slice(from, to));
  return validParts(num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19));
}

/** `2019-11-29`, a release date: validated in place and returned unchanged. */
function fastCalendarDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    y = y * 10 + c;
  }
  const m1 = text.charCodeAt(5) - 48;
  const m2 = text.charCodeAt(6) - 48;
  const d1 = text.charCodeAt(8) - 48;
  const d2 = text.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  return validParts(y, m1 * 10 + m2, d1 * 10 + d2, 0, 0, 0);
}

/**
 * ISO 8601 as Audible and the JSON exports write it. A timestamp (with or without milliseconds,
 * with `Z`, an offset, or no zone, which is read as UTC) becomes `YYYY-MM-DDTHH:MM:SS.sssZ`; a
 * calendar date stays `YYYY-MM-DD`.
 */
export function parseIsoDate(value: unknown): Parsed<string> {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return BAD_DATE;
  if (fastIsoTimestamp(value) || fastCalendarDate(value)) return value;
  const text = value.trim();
  if (text === '') return null;
  return isoFromText(text) ?? BAD_DATE;
}

function isoFromText(text: string): string | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (m[4] === undefined) return validParts(y, mo, d, 0, 0, 0) ? dateText(y, mo, d) : null;
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6] ?? 0);
  if (!validParts(y, mo, d, h, mi, s)) return null;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const offset = parseOffset(m[8]);
  if (offset === null) return null;
  return timestampText(y, mo, d, h, mi, s, ms, offset);
}

/** A calendar date `YYYY-MM-DD`; a full timestamp is cut to its UTC date. */
export function parseCalendarDate(value: unknown): Parsed<string> {
  const parsed = parseIsoDate(value);
  if (typeof parsed === 'string' && parsed.length > 10) return parsed.slice(0, 10);
  return parsed;
}

/** Which of day and month comes first in `a/b/yyyy` dates. */
export type DayMonthOrder = 'month-first' | 'day-first';
/** `auto`: decided per value (see `parseCultureDate`); a file's own order is better (`date-order.ts`). */
export type SlashDateOrder = DayMonthOrder | 'auto';

// 02.01.2024 15:04:05 | 2.1.2024 | 02/01/2024 15:04 | 1/2/2024 3:04:05 PM | 2-1-2024 | 2024/01/02 13:00
const CULTURE = /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\.?(?:[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([ap]\.?\s?m\.?)?)?$/i;

/**
 * Dates as Libation's CSV writes them in the user's Windows culture (and OpenAudible's CSV):
 * ISO 8601, `dd.MM.yyyy HH:mm:ss` (German and others), `M/d/yyyy h:mm:ss AM` (US English),
 * `dd/MM/yyyy HH:mm:ss` (British, French), `d-M-yyyy` (Dutch), `yyyy/MM/dd` (Japanese).
 * For `a/b/yyyy`, `auto` reads month first when the time has AM/PM and day first otherwise, and
 * swaps when only the other order is a real date. The exports carry no zone; times are read as UTC.
 * A date without a time stays a calendar date; callers wanting a calendar date from a timestamp cut it.
 */
export function parseCultureDate(value: unknown, order: SlashDateOrder = 'auto'): Parsed<string> {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return BAD_CULTURE_DATE;
  if (fastIsoTimestamp(value) || fastCalendarDate(value)) return value;
  const text = value.trim();
  if (text === '') return null;
  const iso = isoFromText(text);
  if (iso !== null) return iso;
  const m = CULTURE.exec(text);
  if (!m) return BAD_CULTURE_DATE;
  const [a, sep, b, c] = [m[1]!, m[2]!, Number(m[3]), m[4]!];
  let y: number, mo: number, d: number;
  if (a.length === 4) {
    // yyyy/MM/dd
    if (c.length > 2) return BAD_CULTURE_DATE;
    [y, mo, d] = [Number(a), b, Number(c)];
  } else {
    if (c.length !== 4) return BAD_CULTURE_DATE;
    y = Number(c);
    const meridiem = m[8] !== undefined;
    const monthFirst = sep === '/' && (order === 'month-first' || (order === 'auto' && meridiem));
    [mo, d] = monthFirst ? [Number(a), b] : [b, Number(a)];
    if (order === 'auto' && sep === '/' && mo > 12 && d <= 12) [mo, d] = [d, mo];
  }
  if (m[5] === undefined) return validParts(y, mo, d, 0, 0, 0) ? dateText(y, mo, d) : BAD_CULTURE_DATE;
  let h = Number(m[5]);
  const mi = m[6] === undefined ? 0 : Number(m[6]);
  const s = m[7] === undefined ? 0 : Number(m[7]);
  if (m[8] !== undefined) {
    if (h < 1 || h > 12) return BAD_CULTURE_DATE;
    const pm = m[8][0] === 'p' || m[8][0] === 'P';
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (!validParts(y, mo, d, h, mi, s)) return BAD_CULTURE_DATE;
  return timestampText(y, mo, d, h, mi, s, 0, 0);
}

/** A culture-formatted date cut to `YYYY-MM-DD` (release dates). */
export function parseCultureCalendarDate(value: unknown, order: SlashDateOrder = 'auto'): Parsed<string> {
  const parsed = parseCultureDate(value, order);
  if (typeof parsed === 'string' && parsed.length > 10) return parsed.slice(0, 10);
  return parsed;
}

/**
 * What one culture date tells about its file's day/month order: `a/b/yyyy` where only one reading
 * is a real date settles it (`15/08/2026` day first, `08/15/2026` month first); where both are, it
 * is `ambiguous` (`01/02/2020`). Dotted and dashed dates (`15.08.2026`, `15-8-2026`) are written day
 * first by every culture that uses them. Null: no evidence (ISO, `yyyy/MM/dd`, `1/1/2020`, which
 * reads the same both ways, or not a date).
 */
export function dayMonthEvidence(value: string): DayMonthOrder | 'ambiguous' | null {
  const m = CULTURE.exec(value.trim());
  if (!m || m[1]!.length > 2 || m[4]!.length !== 4) return null;
  if (m[2] !== '/') return 'day-first';
  const [a, b, y] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const dayFirst = b >= 1 && b <= 12 && a >= 1 && a <= daysInMonth(y, b);
  const monthFirst = a >= 1 && a <= 12 && b >= 1 && b <= daysInMonth(y, a);
  if (dayFirst && monthFirst) return a === b ? null : 'ambiguous';
  return dayFirst ? 'day-first' : monthFirst ? 'month-first' : null;
}
