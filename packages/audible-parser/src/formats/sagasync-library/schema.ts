import { ProgressReportSchema, SeriesRecordSchema, TitleRecordSchema } from '@sagasync/core';
import * as z from 'zod';

/**
 * SagaSync's own library file, what `sagasync export --format json` writes: every title (owned
 * and synthetic, with every series membership), every series and every title's progress, exactly
 * as the store holds them. It imports back unchanged, into the same store or a new one.
 *
 * ```json
 * { "format": "sagasync-library", "version": 1, "exportedAt": "2026-11-25T10:00:00.000Z",
 *   "titles": [ { "asin": "B0BOOK0001", "title": "...", "authors": ["..."], "narrators": [], "owned": true,
 *                 "series": [ { "seriesKey": "B0SERIES01", "seriesAsin": "B0SERIES01", "seriesTitle": "...",
 *                               "sequence": "1", "position": { "kind": "number", "value": 1 } } ] } ],
 *   "series": [ { "key": "B0SERIES01", "asin": "B0SERIES01", "title": "...", "catalogueComplete": true } ],
 *   "progress": [ { "asin": "B0BOOK0001", "percentComplete": 100, "isFinished": true, "finishedAt": "...",
 *                   "lastPositionMs": null, "observedAt": "..." } ] }
 * ```
 */
export const SagasyncLibraryEnvelopeSchema = z.object({
  format: z.literal('sagasync-library'),
  version: z.literal(1),
  exportedAt: z.string(),
  titles: z.array(z.unknown()),
  series: z.array(z.unknown()),
  progress: z.array(z.unknown()),
});

export const SagasyncLibraryFileSchema = SagasyncLibraryEnvelopeSchema.extend({
  titles: z.array(TitleRecordSchema),
  series: z.array(SeriesRecordSchema),
  progress: z.array(ProgressReportSchema),
});
export type SagasyncLibraryFile = z.infer<typeof SagasyncLibraryFileSchema>;
