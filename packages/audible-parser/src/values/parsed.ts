import { quoteText } from './quote.js';

/**
 * Value parsers return the value, `null` for "empty", or an `Invalid` carrying the reason. A class
 * rather than a Result object keeps the common (valid) path free of allocations.
 */
export class Invalid {
  constructor(readonly message: string) {}
}

export type Parsed<T> = T | null | Invalid;

export const isInvalid = (value: unknown): value is Invalid => value instanceof Invalid;

const MAX_SHOWN = 80;

/**
 * The offending value as an issue shows it: text as is, other JSON values stringified; shortened
 * and with control characters escaped (`quoteText`).
 */
export function displayValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = '';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return quoteText(text, MAX_SHOWN);
}
