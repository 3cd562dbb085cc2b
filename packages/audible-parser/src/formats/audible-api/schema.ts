import * as z from 'zod';

/**
 * The parts of an Audible `/1.0/library` item the parser reads (Audible API field names). Every
 * field but `asin` may be missing or null, since which ones come back depends on the response
 * groups asked for. Unknown keys are dropped.
 */
const ContributorSchema = z.object({ asin: z.string().nullish(), name: z.string().nullish() });
const SeriesLinkSchema = z.object({
  asin: z.string().nullish(),
  title: z.string().nullish(),
  sequence: z.union([z.string(), z.number()]).nullish(),
});
const ListeningStatusSchema = z.object({
  is_finished: z.boolean().nullish(),
  percent_complete: z.number().nullish(),
  time_remaining_seconds: z.number().nullish(),
  finished_at_timestamp: z.string().nullish(),
});

export const AudibleApiItemSchema = z.object({
  asin: z.string(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  authors: z.array(ContributorSchema).nullish(),
  narrators: z.array(ContributorSchema).nullish(),
  series: z.array(SeriesLinkSchema).nullish(),
  runtime_length_min: z.number().nullish(),
  release_date: z.string().nullish(),
  purchase_date: z.string().nullish(),
  library_status: z.object({ date_added: z.string().nullish() }).nullish(),
  is_finished: z.boolean().nullish(),
  percent_complete: z.number().nullish(),
  listening_status: ListeningStatusSchema.nullish(),
  language: z.string().nullish(),
  // Keys are image sizes; read as an object of known sizes rather than a record, so a hostile key
  // never reaches an assignment.
  product_images: z.object({ '500': z.string().nullish(), '1215': z.string().nullish(), '252': z.string().nullish() }).nullish(),
  content_delivery_type: z.string().nullish(),
  content_type: z.string().nullish(),
  status: z.string().nullish(),
});
export type AudibleApiItem = z.infer<typeof AudibleApiItemSchema>;
