import { dayMonthEvidence, parseCultureDate, type DayMonthOrder } from './dates.js';
import { Invalid, type Parsed } from './parsed.js';
import { quoteText } from './quote.js';

/** Where a date is in a file. */
export interface DateLocation {
  line: number;
  column: string;
  value: string;
}

/**
 * The day/month order of a whole file's culture dates. A file is written in one culture, so its
 * order is decided once, from the first date that only one order can read (`evidence`); without
 * any, month first (`evidence: null`), as Libation's invariant culture (US English) writes dates.
 */
export interface DateOrderDecision {
  order: DayMonthOrder;
  evidence: DateLocation | null;
}

export const MONTH_FIRST_BY_DEFAULT: DateOrderDecision = { order: 'month-first', evidence: null };

/**
 * Culture dates read in the file's order. A date only the other order can read contradicts the
 * file's evidence: it is refused, naming the date that settled the order, rather than read
 * against it or quietly swapped.
 */
export function parseDateInOrder(value: unknown, decision: DateOrderDecision): Parsed<string> {
  if (typeof value === 'string' && decision.evidence !== null) {
    const evidence = dayMonthEvidence(value);
    if (evidence !== null && evidence !== 'ambiguous' && evidence !== decision.order) {
      const { line, column, value: settled } = decision.evidence;
      return new Invalid(
        `conflicting date order: this date reads only ${evidence.replace('-', ' ')}, but line ${line} (${quoteText(column, 60)}: "${quoteText(settled, 40)}") shows the file writes dates ${decision.order.replace('-', ' ')}`,
      );
    }
  }
  return parseCultureDate(value, decision.order);
}

/** `parseDateInOrder` cut to `YYYY-MM-DD` (release dates). */
export function parseCalendarDateInOrder(value: unknown, decision: DateOrderDecision): Parsed<string> {
  const parsed = parseDateInOrder(value, decision);
  if (typeof parsed === 'string' && parsed.length > 10) return parsed.slice(0, 10);
  return parsed;
}
