import * as z from 'zod';

// Only the fields SagaSync reads are validated; everything else Audible sends is dropped. Most
// fields are nullish because Audible omits keys whose response group was not asked for, and
// sends explicit nulls (authors: null) on some products.

const ContributorSchema = z.object({ asin: z.string().nullish(), name: z.string() });

export const SeriesRefSchema = z.object({
  asin: z.string().nullish(),
  title: z.string().nullish(),
  sequence: z.string().nullish(),
  url: z.string().nullish(),
});

export const RelationshipSchema = z.object({
  asin: z.string(),
  relationship_to_product: z.string().nullish(),
  relationship_type: z.string().nullish(),
  sequence: z.string().nullish(),
  sort: z.union([z.string(), z.number()]).nullish(),
});

const LadderSchema = z.object({ ladder: z.array(z.object({ id: z.string().nullish(), name: z.string() })) });

const RatingSchema = z.object({
  overall_distribution: z
    .object({ display_average_rating: z.union([z.string(), z.number()]).nullish(), num_ratings: z.number().nullish() })
    .nullish(),
});

export const ProductSchema = z.object({
  asin: z.string(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  authors: z.array(ContributorSchema).nullish(),
  narrators: z.array(ContributorSchema).nullish(),
  runtime_length_min: z.number().nullish(),
  release_date: z.string().nullish(),
  language: z.string().nullish(),
  content_type: z.string().nullish(),
  content_delivery_type: z.string().nullish(),
  publisher_name: z.string().nullish(),
  extended_product_description: z.string().nullish(),
  product_images: z.record(z.string(), z.string()).nullish(),
  category_ladders: z.array(LadderSchema).nullish(),
  rating: RatingSchema.nullish(),
  series: z.array(SeriesRefSchema).nullish(),
  relationships: z.array(RelationshipSchema).nullish(),
});
export type Product = z.infer<typeof ProductSchema>;

export const LibraryItemSchema = ProductSchema.extend({
  purchase_date: z.string().nullish(),
  status: z.string().nullish(),
  library_status: z.object({ date_added: z.string().nullish() }).nullish(),
  is_finished: z.boolean().nullish(),
  percent_complete: z.number().nullish(),
  listening_status: z
    .object({
      is_finished: z.boolean().nullish(),
      percent_complete: z.number().nullish(),
      time_remaining_seconds: z.number().nullish(),
      finished_at_timestamp: z.string().nullish(),
    })
    .nullish(),
});
export type LibraryItem = z.infer<typeof LibraryItemSchema>;

export const LibraryPageSchema = z.object({ items: z.array(LibraryItemSchema) });
export const ProductResponseSchema = z.object({ product: ProductSchema });
export const ProductsResponseSchema = z.object({ products: z.array(ProductSchema) });

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
