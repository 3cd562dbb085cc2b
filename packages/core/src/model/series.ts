import * as z from 'zod';
import { AsinSchema, IsoDateTimeSchema, OwnerIdSchema, VersionSchema } from './primitives.js';

/**
 * A series as stored. Its status is derived from its volumes (see `deriveSeriesStatus`), never
 * stored as truth.
 */
export const SeriesSchema = z.object({
  ownerId: OwnerIdSchema,
  key: z.string().min(1),
  asin: AsinSchema.nullable(),
  title: z.string().min(1),
  /**
   * True when series metadata (catalogue or companion file) listed every volume, so gaps between
   * owned positions are real knowledge and need not be inferred.
   */
  catalogueComplete: z.boolean(),
  version: VersionSchema,
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Series = z.infer<typeof SeriesSchema>;

/** What a source says about a series. */
export const SeriesRecordSchema = z.object({
  key: z.string().min(1),
  asin: AsinSchema.nullable(),
  title: z.string().min(1),
  catalogueComplete: z.boolean(),
});
export type SeriesRecord = z.infer<typeof SeriesRecordSchema>;

export const SERIES_STATUSES = ['not_started', 'in_progress', 'caught_up', 'complete'] as const;
export const SeriesStatusSchema = z.enum(SERIES_STATUSES);
export type SeriesStatus = z.infer<typeof SeriesStatusSchema>;
