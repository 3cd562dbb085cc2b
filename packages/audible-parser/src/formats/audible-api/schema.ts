import * as z from 'zod';

/**
 * The one schema of what SagaSync reads from the Audible API's products (`/1.0/catalog/products`)
 * and library items (`/1.0/library`), by Audible's field names. A raw `/1.0/library` dump and a
 * live sync (`@sagasync/audible-client`) are both read with it.
 *
 * Every field but `asin` may be missing or null: which keys come back depends on the response
 * groups asked for, and Audible sends explicit nulls (`authors: null`; AudibleApi declares
 * contributor names, relationship ASINs and category ladder entries nullable). Values are checked
 * by the mapper, so a bad value is reported at its path and leaves out one item, not a page.
 * Unknown keys are dropped.
 */
const ContributorSchema = z.object({ asin: z.string().nullish(), name: z.string().nullish() });

const SeriesLinkSchema = z.object({
  asin: z.string().nullish(),
  title: z.string().nullish(),
  /** A string (`"1"`, `"2.5"`, `"1-3"`, `""`, `"Book 1"`); a number is read as its text. */
  sequence: z.union([z.string(), z.number()]).nullish(),
  url: z.string().nullish(),
});

const RelationshipSchema = z.object({
  asin: z.string().nullish(),
  /** `parent` | `child`. */
  relationship_to_product: z.string().nullish(),
  /** `series`, `episode`, `season`, `component`, `merchant_title_authority`. */
  relationship_type: z.string().nullish(),
  sequence: z.union([z.string(), z.number()]).nullish(),
  /** Display order, a numeric string. */
  sort: z.union([z.string(), z.number()]).nullish(),
});

const LadderSchema = z.object({
  root: z.string().nullish(),
  ladder: z.array(z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullable()).nullish(),
});

const RatingSchema = z.object({
  overall_distribution: z
    .object({ display_average_rating: z.union([z.string(), z.number()]).nullish(), num_ratings: z.number().nullish() })
    .nullish(),
});

/** Cover sizes Audible serves (`image_sizes`), smallest first. */
export const AUDIBLE_IMAGE_SIZES = ['252', '315', '360', '408', '500', '558', '570', '882', '900', '1215'] as const;
export type AudibleImageSize = (typeof AUDIBLE_IMAGE_SIZES)[number];

// Keys are image sizes; read as an object of the known sizes rather than a record, so a hostile key
// never reaches an assignment.
const ProductImagesSchema = z.object({
  '252': z.string().nullish(),
  '315': z.string().nullish(),
  '360': z.string().nullish(),
  '408': z.string().nullish(),
  '500': z.string().nullish(),
  '558': z.string().nullish(),
  '570': z.string().nullish(),
  '882': z.string().nullish(),
  '900': z.string().nullish(),
  '1215': z.string().nullish(),
} satisfies Record<AudibleImageSize, z.ZodType>);

const ListeningStatusSchema = z.object({
  is_finished: z.boolean().nullish(),
  percent_complete: z.number().nullish(),
  time_remaining_seconds: z.number().nullish(),
  /** Kept by Audible after a finish, also on a title being listened to again. */
  finished_at_timestamp: z.string().nullish(),
});

/**
 * The `price` response group, read leniently (only whether there is an amount matters, see
 * `forSaleOf`): `{ list_price: { base: 28.0, currency_code: "USD", ... }, lowest_price: {...},
 * credit_price: 1, ... }` (AudibleApi `Price`). A product Audible does not sell in the marketplace
 * comes back without it (or with `price: null`), which is how Libation tells an unavailable volume.
 */
const PriceSchema = z.object({ list_price: z.unknown().optional(), lowest_price: z.unknown().optional() });

/** A catalogue product: what a library item shares with every product (series parents, volumes). */
export const AudibleProductSchema = z.object({
  asin: z.string(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  authors: z.array(ContributorSchema).nullish(),
  narrators: z.array(ContributorSchema).nullish(),
  series: z.array(SeriesLinkSchema).nullish(),
  relationships: z.array(RelationshipSchema).nullish(),
  runtime_length_min: z.number().nullish(),
  release_date: z.string().nullish(),
  language: z.string().nullish(),
  content_type: z.string().nullish(),
  content_delivery_type: z.string().nullish(),
  publisher_name: z.string().nullish(),
  extended_product_description: z.string().nullish(),
  product_images: ProductImagesSchema.nullish(),
  category_ladders: z.array(LadderSchema).nullish(),
  rating: RatingSchema.nullish(),
  // A price of another shape says nothing: read as unknown rather than failing the item.
  price: PriceSchema.nullish().catch(() => undefined),
});
export type AudibleProduct = z.infer<typeof AudibleProductSchema>;

/** A `/1.0/library` item: the product plus what the account knows about it. */
export const AudibleLibraryItemSchema = AudibleProductSchema.extend({
  purchase_date: z.string().nullish(),
  /** `Active`, or `Revoked` for a returned or refunded title. */
  status: z.string().nullish(),
  library_status: z.object({ date_added: z.string().nullish() }).nullish(),
  /** Null unless the `is_finished` response group was asked for. */
  is_finished: z.boolean().nullish(),
  percent_complete: z.number().nullish(),
  listening_status: ListeningStatusSchema.nullish(),
});
export type AudibleLibraryItem = z.infer<typeof AudibleLibraryItemSchema>;

/** @deprecated The library item schema under its first name; use `AudibleLibraryItemSchema`. */
export const AudibleApiItemSchema = AudibleLibraryItemSchema;
/** @deprecated Use `AudibleLibraryItem`. */
export type AudibleApiItem = AudibleLibraryItem;
