import * as z from 'zod';
import { ProgressReportSchema } from './progress.js';
import { SeriesRecordSchema } from './series.js';
import { TitleRecordSchema } from './title.js';

/**
 * What every source produces and the import planner consumes: export files (audible-parser),
 * the Audible API (audible-client), the CLI's `--api-url` upload and the HTTP API's body.
 */
export const LibraryRecordsSchema = z.object({
  titles: z.array(TitleRecordSchema),
  /** Series the source knows about; `catalogueComplete` when it listed every volume. */
  series: z.array(SeriesRecordSchema),
  progress: z.array(ProgressReportSchema),
});
export type LibraryRecords = z.infer<typeof LibraryRecordsSchema>;
