import { TrackerBookSchema, type InputIssue, type TrackerBook } from '@sagasync/core';
import * as z from 'zod';

/** The tracker sources a file can come from. */
export const FILE_SOURCES = ['goodreads', 'storygraph', 'csv'] as const;
export type FileSource = (typeof FILE_SOURCES)[number];

/** A tracker book as read from a file: the stored record without owner and store timestamp. */
export const TrackerBookInputSchema = TrackerBookSchema.omit({ ownerId: true, updatedAt: true });
export type TrackerBookInput = Omit<TrackerBook, 'ownerId' | 'updatedAt'>;

/** One finished (or started) reading, from Goodreads `Date Read` or StoryGraph `Dates Read`. */
export interface ReadSpan {
  started: string | null;
  finished: string | null;
}

/** What a row says beyond the tracker book model: kept for the CLI and for later use. */
export interface TrackerRowDetails {
  trackerId: string;
  /** 1-based line where the row starts. */
  line: number;
  /** The shelf or status exactly as written (`to-read`, `did-not-finish`, ...). */
  rawStatus: string | null;
  rating: number | null;
  /** `YYYY-MM-DD`. */
  dateAdded: string | null;
  reads: ReadSpan[];
  /** Goodreads `Binding` or StoryGraph `Format`. */
  format: string | null;
}

export interface TrackerFile {
  source: FileSource;
  /** Header variant recognised, e.g. `goodreads-2025` (23 columns), `goodreads-2020`, `goodreads-pre2020`. */
  variant: string;
  books: TrackerBookInput[];
  /** Same order as `books`. */
  details: TrackerRowDetails[];
  /** Rows skipped or values ignored, each naming the file, line and column. */
  warnings: InputIssue[];
}

/** Column names for a generic CSV (`--title-column` and friends in the CLI). */
export const ColumnMappingSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    authors: z.string().min(1),
    isbn: z.string().min(1),
    isbn13: z.string().min(1),
    asin: z.string().min(1),
    status: z.string().min(1),
    series: z.string().min(1),
    seriesIndex: z.string().min(1),
    rating: z.string().min(1),
    dateRead: z.string().min(1),
  })
  .partial()
  .strict();
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export const ReadTrackerOptionsSchema = z
  .object({
    source: z.enum(FILE_SOURCES).optional(),
    columns: ColumnMappingSchema.optional(),
    /** Field delimiter; sniffed from the header line when absent. */
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
  })
  .strict();
export type ReadTrackerOptions = z.infer<typeof ReadTrackerOptionsSchema>;
