import { Invalid, type Parsed } from './parsed.js';

const NOT_A_NUMBER = new Invalid('not a number');
const NOT_MINUTES = new Invalid('not a whole, non-negative number of minutes');
const PERCENT_RANGE = new Invalid('percent out of range: expected 0 to 100');
const NOT_DURATION = new Invalid('not a duration: expected minutes, h:mm:ss or "10h 27m"');

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
// A decimal comma (Libation on a German or French Windows): "4,5", optionally with "." thousands.
const DECIMAL_COMMA = /^[+-]?\d{1,3}(?:\.\d{3})*,\d+$|^[+-]?\d+,\d+$/;

/** A finite number from a JSON number or from text with a decimal point or a decimal comma. */
export function parseNumber(value: unknown): Parsed<number> {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NOT_A_NUMBER;
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return NOT_A_NUMBER;
  const text = value.trim();
  if (text === '') return null;
  if (DECIMAL.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : NOT_A_NUMBER;
  }
  if (DECIMAL_COMMA.test(text)) return Number(text.replace(/\./g, '').replace(',', '.'));
  return NOT_A_NUMBER;
}

/** A runtime in whole minutes. `970.0` is accepted (Python float repr); `970.5` is not. */
export function parseMinutes(value: unknown): Parsed<number> {
  const n = parseNumber(value);
  if (n === null) return null;
  if (n instanceof Invalid || !Number.isInteger(n) || n < 0) return NOT_MINUTES;
  return n;
}

/** Percent complete, kept within 0..100: anything outside is an input error, not clamped. */
export function parsePercent(value: unknown): Parsed<number> {
  const n = parseNumber(value);
  if (n === null || n instanceof Invalid) return n;
  if (n < 0 || n > 100) return PERCENT_RANGE;
  return n;
}

const CLOCK = /^(\d+):([0-5]?\d)(?::([0-5]?\d))?$/;
const UNITS = /^(?:(\d+)\s*(?:h|hrs?|hours?))?\s*(?:and\s*)?(?:(\d+)\s*(?:m|mins?|minutes?))?\s*(?:(\d+)\s*(?:s|secs?|seconds?))?$/i;

/**
 * OpenAudible durations: `10:27:00` (h:mm:ss), `10:27` (h:mm), `10h 27m`, `10 hrs and 27 mins`, or
 * plain minutes. Rounded to whole minutes.
 */
export function parseDuration(value: unknown): Parsed<number> {
  if (typeof value === 'number') return parseMinutes(Math.round(value));
  const text = typeof value === 'string' ? value.trim() : value;
  if (text === null || text === undefined || text === '') return null;
  if (typeof text !== 'string') return NOT_DURATION;
  const clock = CLOCK.exec(text);
  if (clock) {
    const seconds = Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
    return Math.round(seconds / 60);
  }
  const units = UNITS.exec(text);
  if (units && (units[1] ?? units[2] ?? units[3]) !== undefined) {
    const seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
    return Math.round(seconds / 60);
  }
  const minutes = parseNumber(text);
  if (minutes === null) return null;
  if (minutes instanceof Invalid || minutes < 0) return NOT_DURATION;
  return Math.round(minutes);
}
