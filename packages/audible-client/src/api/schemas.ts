import { AudibleLibraryItemSchema, AudibleProductSchema, type AudibleLibraryItem, type AudibleProduct } from '@sagasync/audible-parser';
import * as z from 'zod';

// Products and library items are read with the parser's one schema of them
// (`@sagasync/audible-parser`), so a live sync and a `/1.0/library` dump read the same fields the
// same way. The client validates the envelopes around them and the progress endpoints.

/** @deprecated The parser's `AudibleProductSchema`, under the client's first name for it. */
export const ProductSchema = AudibleProductSchema;
/** @deprecated Use `AudibleProduct` from `@sagasync/audible-parser`. */
export type Product = AudibleProduct;
/** @deprecated The parser's `AudibleLibraryItemSchema`, under the client's first name for it. */
export const LibraryItemSchema = AudibleLibraryItemSchema;
/** @deprecated Use `AudibleLibraryItem` from `@sagasync/audible-parser`. */
export type LibraryItem = AudibleLibraryItem;

/** A library page; its items are checked one by one, so one bad item does not fail the page. */
export const LibraryPageSchema = z.object({ items: z.array(z.unknown()) });

/**
 * The `price` response group: AudibleApi's `Price` (`list_price`, `lowest_price`, `credit_price`,
 * eligibility flags), kept as sent for the parser's `seriesVolumeOf` to read. A catalogue product
 * asked for with `price` and sent without one is not sold in the marketplace (Libation's series
 * view drops such a volume as "not available to the user"). A value of another shape says nothing
 * and is read as absent rather than failing the product, as the parser does.
 */
export const PriceSchema = z.record(z.string(), z.unknown());

/**
 * A catalogue product: the parser's product schema, with `price` kept whatever the parser's
 * version of the schema does with it (the client asks for it on volumes and relies on it).
 */
export const CatalogueProductSchema = AudibleProductSchema.extend({ price: PriceSchema.nullish().catch(() => undefined) });
export type CatalogueProduct = z.infer<typeof CatalogueProductSchema>;

/** One product; checked with `CatalogueProductSchema` by the caller. */
export const ProductResponseSchema = z.object({ product: z.unknown() });
/** A catalogue batch; its products are checked one by one, so one bad product does not fail the batch. */
export const ProductsResponseSchema = z.object({ products: z.array(z.unknown()) });

export const LastPositionAnnotationSchema = z.object({
  asin: z.string(),
  last_position_heard: z
    .object({ position_ms: z.number().nullish(), last_updated: z.string().nullish(), status: z.string().nullish() })
    .nullish(),
});
/** Annotations, checked one by one. */
export const LastPositionsSchema = z.object({ asin_last_position_heard_annots: z.array(z.unknown()) });

export const FinishedEventSchema = z.object({ asin: z.string(), is_marked_as_finished: z.boolean(), event_timestamp: z.string() });
/** Mark-as-finished events, checked one by one: finish dates are best-effort, one bad event is left out. */
export const FinishedStatusSchema = z.object({
  mark_as_finished_status_list: z.array(z.unknown()).nullish(),
  continuation_token: z.string().nullish(),
});

/**
 * Library response groups: series, relationships and the three listening fields (without
 * `is_finished` the flag comes back null), plus what the CSV export and the records need.
 */
export const LIBRARY_RESPONSE_GROUPS = [
  'contributors',
  'media',
  'product_attrs',
  'product_desc',
  'product_details',
  'series',
  'relationships',
  'category_ladders',
  'rating',
  'is_finished',
  'percent_complete',
  'listening_status',
].join(',');

/** Series parents: their `relationships` list the volumes. */
export const SERIES_PARENT_GROUPS = ['relationships', 'product_attrs', 'contributors'].join(',');

/**
 * Volumes not owned: enough to make a synthetic title, and `price`, whose absence says the
 * marketplace does not sell the volume.
 */
export const VOLUME_GROUPS = ['contributors', 'media', 'price', 'product_attrs', 'series', 'relationships'].join(',');
