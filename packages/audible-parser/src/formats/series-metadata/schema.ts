import { ContributorSchema } from '@sagasync/core';
import * as z from 'zod';

/**
 * SagaSync's own series-metadata file, the companion `audible-series-metadata-<timestamp>.json`
 * that `sagasync audible export` writes next to the library CSV. It lists every series of the
 * library with all its volumes, owned or not, so an import can know missing and upcoming
 * volumes without calling Audible.
 *
 * Example:
 * ```json
 * {
 *   "format": "sagasync-series-metadata",
 *   "version": 1,
 *   "generatedAt": "2026-11-25T10:00:00.000Z",
 *   "marketplace": "us",
 *   "series": [
 *     {
 *       "asin": "B00SERIES1", "title": "The Expanse",
 *       "volumes": [
 *         { "asin": "B0BOOK0001", "title": "Leviathan Wakes", "sequence": "1", "sort": "1", "owned": true,
 *           "authors": ["James S. A. Corey"], "narrators": ["Jefferson Mays"], "releaseDate": "2012-10-01",
 *           "runtimeMinutes": 1255, "coverUrl": null }
 *       ]
 *     }
 *   ]
 * }
 * ```
 */
export const SeriesMetadataVolumeSchema = z.object({
  asin: z.string().regex(/^[A-Z0-9]{10}$/, 'an ASIN is 10 letters or digits'),
  title: z.string().min(1),
  subtitle: z.string().nullable().optional(),
  /** Sequence text as Audible shows it (`"2.5"`, `"1-3"`, `""`). */
  sequence: z.string(),
  /** Audible's sort order inside the series, when it gives one. */
  sort: z.string().nullable().optional(),
  owned: z.boolean(),
  authors: z.array(z.string()).default([]),
  narrators: z.array(z.string()).default([]),
  releaseDate: z.string().nullable().optional(),
  runtimeMinutes: z.number().int().nonnegative().nullable().optional(),
  coverUrl: z.string().nullable().optional(),
  /** The product's language (`english`), when known. */
  language: z.string().nullable().optional(),
  /** True for a podcast rather than a book, when known. */
  isPodcast: z.boolean().optional(),
  /**
   * Whether Audible sells the volume in the marketplace: false for one it cannot sell there (its
   * catalogue entry has no price), so it is not offered as next to buy. Absent or null: not known.
   */
  forSale: z.boolean().nullable().optional(),
  /** People credited in another role than author (`{ name, role: "translator" }`). Absent: none known. */
  contributors: z.array(ContributorSchema).optional(),
});
export type SeriesMetadataVolume = z.infer<typeof SeriesMetadataVolumeSchema>;

export const SeriesMetadataSeriesSchema = z.object({
  asin: z.string().regex(/^[A-Z0-9]{10}$/).nullable(),
  title: z.string().min(1),
  /**
   * Whether `volumes` lists every volume of the series (Audible's catalogue did). False for a
   * series known only from the titles it holds, whose gaps stay inferred. Absent means true.
   */
  complete: z.boolean().optional(),
  volumes: z.array(SeriesMetadataVolumeSchema),
});
export type SeriesMetadataSeries = z.infer<typeof SeriesMetadataSeriesSchema>;

export const SeriesMetadataFileSchema = z.object({
  format: z.literal('sagasync-series-metadata'),
  version: z.literal(1),
  generatedAt: z.string(),
  marketplace: z.string().nullable().optional(),
  series: z.array(SeriesMetadataSeriesSchema),
});
export type SeriesMetadataFile = z.infer<typeof SeriesMetadataFileSchema>;
