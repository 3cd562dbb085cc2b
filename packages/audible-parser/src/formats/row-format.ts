import type { Contributor, ProgressReport, TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../records/records-builder.js';
import type { ColumnSpec } from '../tabular/columns.js';
import type { RowReader } from '../tabular/row-reader.js';
import { splitCredits } from '../values/credits.js';
import type { DateOrderDecision } from '../values/date-order.js';
import { detach } from '../values/text.js';

/**
 * What one row gives: a title (and what it says about listening), a row that is deliberately not
 * a book (`skipped` names what it was, for the notes), or `null` when the row is invalid (its
 * issues are already reported).
 */
export type RowOutcome = { title: TitleRecord; progress: ProgressReport | null } | { skipped: string } | null;

export type RowMapper = (row: RowReader) => RowOutcome;

/** What the reader learned about the whole file before its rows are mapped. */
export interface MapperOptions {
  /** The file's day/month order, for formats with culture dates (`dateOrderColumns`). */
  dateOrder?: DateOrderDecision;
}

/** A format whose rows are flat: delimited text, or a JSON array of flat objects. */
export interface RowFormat {
  readonly columns: readonly ColumnSpec[];
  /**
   * Normalised headers of the culture-date columns that tell a delimited file's day/month order; the
   * reader settles it in a first pass (`probeDateOrder`) and passes it as `dateOrder`.
   */
  readonly dateOrderColumns?: readonly string[];
  /** A mapper for one file; formats may keep per-file state. */
  createMapper(builder: RecordsBuilder, options?: MapperOptions): RowMapper;
}

/** Text of a raw sequence exactly as received (JSON numbers become their text). */
export function rawText(value: unknown): string {
  if (typeof value === 'string') return detach(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The progress a row reports, or null when it says nothing about listening. */
export function progressReport(asin: string, isFinished: boolean | null | undefined, percent: number | null | undefined): ProgressReport | null {
  const hasFinished = isFinished !== null && isFinished !== undefined;
  const hasPercent = percent !== null && percent !== undefined;
  // Whole literals rather than properties added one by one: added properties go to a separate
  // backing store, an extra allocation per report. No finish time: no tabular export has one, and
  // none is made up (the import time is not when the listener finished).
  if (hasFinished && hasPercent) return { asin, isFinished, percentComplete: percent };
  if (hasFinished) return { asin, isFinished };
  if (hasPercent) return { asin, percentComplete: percent };
  return null;
}

/**
 * The authors of an author cell, and the people it credits in another role (`Constance Garnett -
 * translator`), who are not authors. When every name carries a role the names stay authors too
 * (the title would otherwise have none) and a warning names the row.
 */
export function creditsOfRow(row: RowReader, field: number, names: string[] | null | undefined, builder: RecordsBuilder): { authors: string[]; contributors?: Contributor[] } {
  if (!names) return { authors: builder.noNames };
  const credits = splitCredits(names);
  if (credits === null) return { authors: names };
  for (const c of credits.contributors) {
    c.name = builder.intern(c.name);
    c.role = builder.intern(c.role);
  }
  if (credits.rolesOnly) {
    row.warn(field, row.get(field), 'every name in this cell is credited with a role, none as author: kept as authors (there is no other) and as contributors');
  }
  return credits;
}
