import type { ProgressReport, TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../records/records-builder.js';
import type { ColumnSpec } from '../tabular/columns.js';
import type { RowReader } from '../tabular/row-reader.js';
import { detach } from '../values/text.js';

/**
 * What one row gives: a title (and what it says about listening), a row that is deliberately not
 * a book (`skipped` names what it was, for the notes), or `null` when the row is invalid (its
 * issues are already reported).
 */
export type RowOutcome = { title: TitleRecord; progress: ProgressReport | null } | { skipped: string } | null;

export type RowMapper = (row: RowReader) => RowOutcome;

/** A format whose rows are flat: delimited text, or a JSON array of flat objects. */
export interface RowFormat {
  readonly columns: readonly ColumnSpec[];
  /** A mapper for one file; formats may keep per-file state. */
  createMapper(builder: RecordsBuilder): RowMapper;
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
  // backing store, an extra allocation per report.
  if (hasFinished && hasPercent) return { asin, isFinished, percentComplete: percent };
  if (hasFinished) return { asin, isFinished };
  if (hasPercent) return { asin, percentComplete: percent };
  return null;
}
