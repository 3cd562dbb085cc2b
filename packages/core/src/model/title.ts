import * as z from 'zod';
import { AsinSchema, IsoDateSchema, IsoDateTimeSchema, OwnerIdSchema, VersionSchema } from './primitives.js';
import { SeriesPositionSchema } from './sequence.js';

/** A title's place in one series. A title can be in several series. */
export const SeriesMembershipSchema = z.object({
  /** Series ASIN when known, else `title:` + the normalised series title. See `seriesKeyFor`. */
  seriesKey: z.string().min(1),
  seriesAsin: AsinSchema.nullable(),
  seriesTitle: z.string().min(1),
  /** Sequence text exactly as received (`"1-3"`, `"Book 4"`, `""`). */
  sequence: z.string(),
  position: SeriesPositionSchema,
});
export type SeriesMembership = z.infer<typeof SeriesMembershipSchema>;

/**
 * What a source (export file, API sync, series catalogue) says about one Audible product.
 * Optional fields that are absent mean "this source does not know", never "clear it".
 */
export const TitleRecordSchema = z.object({
  asin: AsinSchema,
  title: z.string().min(1),
  subtitle: z.string().nullable().optional(),
  authors: z.array(z.string().min(1)),
  narrators: z.array(z.string().min(1)),
  runtimeMinutes: z.number().int().nonnegative().nullable().optional(),
  releaseDate: IsoDateSchema.nullable().optional(),
  purchaseDate: IsoDateSchema.nullable().optional(),
  coverUrl: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  marketplace: z.string().nullable().optional(),
  sourceAccount: z.string().nullable().optional(),
  /** false for a volume known only from series metadata: a "synthetic" volume. */
  owned: z.boolean(),
  isPodcast: z.boolean().optional(),
  series: z.array(SeriesMembershipSchema),
});
export type TitleRecord = z.infer<typeof TitleRecordSchema>;

/** A title as stored: the record's fields, normalised, plus ownership and version. */
export const TitleSchema = z.object({
  ownerId: OwnerIdSchema,
  asin: AsinSchema,
  title: z.string().min(1),
  subtitle: z.string().nullable(),
  authors: z.array(z.string()),
  narrators: z.array(z.string()),
  runtimeMinutes: z.number().int().nonnegative().nullable(),
  releaseDate: IsoDateSchema.nullable(),
  purchaseDate: IsoDateSchema.nullable(),
  coverUrl: z.string().nullable(),
  language: z.string().nullable(),
  marketplace: z.string().nullable(),
  sourceAccount: z.string().nullable(),
  owned: z.boolean(),
  isPodcast: z.boolean(),
  series: z.array(SeriesMembershipSchema),
  version: VersionSchema,
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Title = z.infer<typeof TitleSchema>;

/** The fields of a title that sources describe; what the planner compares. */
export const TITLE_FIELDS = [
  'title',
  'subtitle',
  'authors',
  'narrators',
  'runtimeMinutes',
  'releaseDate',
  'purchaseDate',
  'coverUrl',
  'language',
  'marketplace',
  'sourceAccount',
  'owned',
  'isPodcast',
  'series',
] as const satisfies readonly (keyof Title)[];
export type TitleField = (typeof TITLE_FIELDS)[number];
