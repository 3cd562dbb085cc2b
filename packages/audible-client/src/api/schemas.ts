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
export const ProductResponseSchema = z.object({ product: AudibleProductSchema });
export const ProductsResponseSchema = z.object({ products: z.array(AudibleProductSchema) });

export const LastPositionsSchema = z.object({
  asin_last_position_heard_annots: z.array(
    z.object({
      asin: z.string(),
      last_position_heard: z
        .object({ position_ms: z.number().nullish(), last_updated: z.string().nullish(), status: z.string().nullish() })
        .nullish(),
    }),
  ),
});

export const FinishedStatusSchema = z.object({
  mark_as_finished_status_list: z
    .array(z.object({ asin: z.string(), is_marked_as_finished: z.boolean(), event_timestamp: z.string() }))
    .nullish(),
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

/** Volumes not owned: enough to make a synthetic title. */
export const VOLUME_GROUPS = ['contributors', 'media', 'product_attrs', 'series', 'relationships'].join(',');
