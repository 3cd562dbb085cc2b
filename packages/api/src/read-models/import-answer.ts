import { ImportReportSchema, type ImportReport } from '@sagasync/core';
import * as z from 'zod';

/** Changes listed per kind in an answer; the summary counts them all. */
export const IMPORT_ANSWER_MAX_CHANGES = 1_000;

/**
 * An import's answer: the report with only changed records listed, at most 1,000 of each kind,
 * so that a preview of 100,000 titles is not a 10 MB answer; `omitted` counts what is left out.
 */
export const ImportAnswerSchema = ImportReportSchema.extend({
  omitted: z.object({ titles: z.number().int(), series: z.number().int(), progress: z.number().int() }),
});
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

export function importAnswer(report: ImportReport): ImportAnswer {
  const changed = <T extends { action: string }>(list: T[]) => list.filter((item) => item.action !== 'unchanged');
  const [titles, series, progress] = [changed(report.titles), changed(report.series), changed(report.progress)];
  return {
    ...report,
    titles: titles.slice(0, IMPORT_ANSWER_MAX_CHANGES),
    series: series.slice(0, IMPORT_ANSWER_MAX_CHANGES),
    progress: progress.slice(0, IMPORT_ANSWER_MAX_CHANGES),
    omitted: {
      titles: report.titles.length - Math.min(titles.length, IMPORT_ANSWER_MAX_CHANGES),
      series: report.series.length - Math.min(series.length, IMPORT_ANSWER_MAX_CHANGES),
      progress: report.progress.length - Math.min(progress.length, IMPORT_ANSWER_MAX_CHANGES),
    },
  };
}
