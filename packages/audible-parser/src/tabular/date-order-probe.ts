import { dayMonthEvidence } from '../values/dates.js';
import { quoteText } from '../values/quote.js';
import { MONTH_FIRST_BY_DEFAULT, type DateLocation, type DateOrderDecision } from '../values/date-order.js';
import { normaliseHeader } from './columns.js';
import { readDelimited, type DelimitedSource } from './read-delimited.js';

export interface DateOrderProbe {
  decision: DateOrderDecision;
  /** The first date either order could read, when nothing settled the order (for the note). */
  undecided: DateLocation | null;
}

/**
 * Decides a file's day/month order before its rows are mapped: a first pass over the file that
 * tokenizes rows and looks only at the date columns (`headers`, normalised), and stops at the first
 * date only one order can read. Rows are not kept, so memory stays flat whatever the file's size;
 * the price is reading the file twice (the first pass usually stops within a few rows, and reads
 * the whole file only when no date settles the order). A file on disk or in memory can be read
 * twice; a stream is first copied to a file (`openExportInput`). Structural errors are left to
 * the second pass, which reports them.
 */
export async function probeDateOrder(source: DelimitedSource, delimiter: string, file: string, headers: readonly string[]): Promise<DateOrderProbe> {
  const columns: number[] = [];
  const names: string[] = [];
  // Set by the row handler (a holder, as the compiler does not follow assignments in callbacks).
  const found: { decision?: DateOrderDecision; undecided?: DateLocation } = {};
  await readDelimited(source, delimiter, file, {
    header: (cells) => {
      cells.forEach((cell, i) => {
        if (headers.includes(normaliseHeader(cell))) {
          columns.push(i);
          names.push(cell.trim());
        }
      });
      return columns.length > 0;
    },
    row: (cells, line) => {
      for (let k = 0; k < columns.length; k++) {
        const value = cells[columns[k]!];
        if (!value) continue;
        const evidence = dayMonthEvidence(value);
        if (evidence === 'ambiguous') found.undecided ??= { line, column: names[k]!, value: value.trim() };
        else if (evidence !== null) {
          found.decision = { order: evidence, evidence: { line, column: names[k]!, value: value.trim() } };
          return false;
        }
      }
      return true;
    },
  });
  return found.decision ? { decision: found.decision, undecided: null } : { decision: MONTH_FIRST_BY_DEFAULT, undecided: found.undecided ?? null };
}

/** The note for a file whose dates never told day from month. */
export function undecidedOrderNote(at: DateLocation): string {
  return `no date tells day from month (such as "${quoteText(at.value, 40)}" on line ${at.line}, ${quoteText(at.column, 60)}): dates were read month first, as Libation's default (invariant, US English) culture writes them`;
}
