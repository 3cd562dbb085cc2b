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
 * Someone credited on a title in a role other than author: `Constance Garnett - translator` in an
 * export's author cell. Kept apart so a translator never counts as the book's author.
 */
export const ContributorSchema = z.object({
  name: z.string().min(1),
  /** Lower-case role as the source wrote it: `translator`, `introductions`, `editor`, ... */
  role: z.string().min(1),
});
export type Contributor = z.infer<typeof ContributorSchema>;

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
  /** Credited people with a role (translator, foreword, ...); absent when the source does not say. */
  contributors: z.array(ContributorSchema).optional(),
  /**
   * Whether Audible sells the product in the account's marketplace: a catalogue item with no
   * price is not for sale there (null or absent: not known). Only a volume not owned cares.
   */
  forSale: z.boolean().nullable().optional(),
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
  // Defaults read rows written before these fields existed.
  contributors: z.array(ContributorSchema).default([]),
  forSale: z.boolean().nullable().default(null),
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
  'contributors',
  'forSale',
  'series',
] as const satisfies readonly (keyof Title)[];
export type TitleField = (typeof TITLE_FIELDS)[number];
