import { ProgressReportSchema, SeriesRecordSchema, TitleRecordSchema } from '@sagasync/core';
import type { ZodError } from 'zod';
import type { IssueList } from '../../issues.js';
import { zodIssues } from '../../json/json-path.js';
import type { RecordsBuilder } from '../../records/records-builder.js';
import { SagasyncLibraryEnvelopeSchema } from './schema.js';

export interface SagasyncLibraryOutcome {
  invalidRows: number;
  /** The envelope itself is unusable. */
  fatal: boolean;
}

/**
 * Reads SagaSync's library file element by element, so that with skip-invalid one bad title is
 * left out (and named by its JSON path) instead of the whole file.
 */
export function readSagasyncLibrary(root: unknown, file: string, builder: RecordsBuilder, issues: IssueList, onRow: () => void): SagasyncLibraryOutcome {
  const envelope = SagasyncLibraryEnvelopeSchema.safeParse(root);
  if (!envelope.success) {
    for (const issue of zodIssues(envelope.error, root, '$', file)) issues.add(issue);
    return { invalidRows: 0, fatal: true };
  }
  let invalidRows = 0;
  const check = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }, value: unknown, path: string): T | null => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of zodIssues(parsed.error, value, path, file)) issues.add(issue);
    invalidRows++;
    return null;
  };
  const progress = new Map<string, ReturnType<typeof ProgressReportSchema.parse>>();
  envelope.data.progress.forEach((value, i) => {
    const report = check(ProgressReportSchema, value, `$.progress[${i}]`);
    if (report) progress.set(report.asin, report);
  });
  envelope.data.series.forEach((value, i) => {
    const series = check(SeriesRecordSchema, value, `$.series[${i}]`);
    if (series) builder.addSeries(series);
  });
  envelope.data.titles.forEach((value, i) => {
    onRow();
    const title = check(TitleRecordSchema, value, `$.titles[${i}]`);
    if (title) builder.addTitle(title, progress.get(title.asin) ?? null);
  });
  return { invalidRows, fatal: false };
}
