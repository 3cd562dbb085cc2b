import { ImportReportSchema, type ImportReport, type LibraryRecords } from '@sagasync/core';
import * as z from 'zod';
import type { ApiContext } from '../http/route.js';

/** Changes listed per kind in an answer; the summary counts them all. */
export const IMPORT_ANSWER_MAX_CHANGES = 1_000;

const report = ImportReportSchema.shape;
/** The name of the title or series a change is about, when the records or the store know it. */
const named = { title: z.string().optional() };

/**
 * An import's answer: the report with only changed records listed, at most 1,000 of each kind,
 * so that a preview of 100,000 titles is not a 10 MB answer; `omitted` counts what is left out.
 * Each listed change names its title or series (`title`), so a preview can say which titles it
 * would create or update, and which of their fields change (`changedFields`).
 */
export const ImportAnswerSchema = ImportReportSchema.extend({
  titles: z.array(report.titles.element.extend(named)),
  series: z.array(report.series.element.extend(named)),
  progress: z.array(report.progress.element.extend(named)),
  omitted: z.object({ titles: z.number().int(), series: z.number().int(), progress: z.number().int() }),
});
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

/** Names of titles (by ASIN) and series (by key) for an answer's listed changes. */
export interface ImportNames {
  titles: ReadonlyMap<string, string>;
  series: ReadonlyMap<string, string>;
}

const total = (counts: { created: number; updated: number; unchanged: number }) => counts.created + counts.updated + counts.unchanged;

export function importAnswer(report: ImportReport, names?: ImportNames): ImportAnswer {
  const changed = <T extends { action: string }>(list: T[]) => list.filter((item) => item.action !== 'unchanged');
  const [titles, series, progress] = [changed(report.titles), changed(report.series), changed(report.progress)];
  const withName = <T extends object>(item: T, name: string | undefined): T & { title?: string } => (name === undefined ? item : { ...item, title: name });
  return {
    ...report,
    titles: titles.slice(0, IMPORT_ANSWER_MAX_CHANGES).map((c) => withName(c, names?.titles.get(c.asin))),
    series: series.slice(0, IMPORT_ANSWER_MAX_CHANGES).map((c) => withName(c, names?.series.get(c.key))),
    progress: progress.slice(0, IMPORT_ANSWER_MAX_CHANGES).map((c) => withName(c, names?.titles.get(c.asin))),
    // From the counts: the report may list only the first changes (`ImportOptions.listLimit`).
    omitted: {
      titles: total(report.summary.titles) - Math.min(titles.length, IMPORT_ANSWER_MAX_CHANGES),
      series: total(report.summary.series) - Math.min(series.length, IMPORT_ANSWER_MAX_CHANGES),
      progress: total(report.summary.progress) - Math.min(progress.length, IMPORT_ANSWER_MAX_CHANGES),
    },
  };
}

/**
 * The answer with names: from the records imported, else (a progress row of a title the records
 * do not carry, a series renamed away) from the store, reading only the listed changes by key.
 */
export async function namedImportAnswer(ctx: Pick<ApiContext, 'storage' | 'ownerId'>, report: ImportReport, records: LibraryRecords): Promise<ImportAnswer> {
  // Only the listed changes get names (at most 1,000 of each kind): a map of every title of a
  // 100,000-title import would cost more memory than the import itself has to spare.
  const unnamed = importAnswer(report);
  const wantedTitles = new Set([...unnamed.titles, ...unnamed.progress].map((c) => c.asin));
  const wantedSeries = new Set(unnamed.series.map((c) => c.key));
  const titles = new Map<string, string>();
  const series = new Map<string, string>();
  for (const t of records.titles) {
    if (wantedTitles.has(t.asin)) titles.set(t.asin, t.title);
    for (const m of t.series) if (wantedSeries.has(m.seriesKey) && !series.has(m.seriesKey)) series.set(m.seriesKey, m.seriesTitle);
  }
  for (const s of records.series) if (wantedSeries.has(s.key)) series.set(s.key, s.title);
  const missingTitles = [...wantedTitles].filter((asin) => !titles.has(asin));
  const missingSeries = [...wantedSeries].filter((key) => !series.has(key));
  if (missingTitles.length > 0 || missingSeries.length > 0) {
    const [stored, storedSeries] = await Promise.all([
      missingTitles.length > 0 ? ctx.storage.getTitles(ctx.ownerId, missingTitles) : Promise.resolve([]),
      Promise.all(missingSeries.map((key) => ctx.storage.getSeries(ctx.ownerId, key))),
    ]);
    for (const t of stored) titles.set(t.asin, t.title);
    for (const s of storedSeries) if (s) series.set(s.key, s.title);
  }
  return importAnswer(report, { titles, series });
}
