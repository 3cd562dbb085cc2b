import * as z from 'zod';

/** Audible product id: ten upper-case letters or digits (B0..., or an ISBN-10 for older titles). */
export const AsinSchema = z.string().regex(/^[A-Z0-9]{10}$/, 'an ASIN is 10 letters or digits');
export type Asin = z.infer<typeof AsinSchema>;

/** The owner every record belongs to: a person or household. The CLI's owner is `local`. */
export const OwnerIdSchema = z.string().min(1).max(200);
export type OwnerId = z.infer<typeof OwnerIdSchema>;

/** ISO 8601 timestamp in UTC, e.g. `2024-01-02T15:04:05.000Z`. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
/** Calendar date `YYYY-MM-DD`, or a full ISO timestamp. */
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
// A date is exactly 10 characters, so the length picks the one check that applies. A union would
// try `date` first and build an error for every timestamp before trying `datetime`: measured at
// twice the cost when a store reads back thousands of titles.
export const IsoDateSchema = z
  .string()
  .check(z.refine((value) => (value.length === 10 ? isoDate : isoDateTime).safeParse(value).success, { message: 'expected an ISO date (YYYY-MM-DD) or timestamp' }));

export const PercentSchema = z.number().min(0).max(100);

/** Optimistic-concurrency version: 1 after create, +1 on each update. */
export const VersionSchema = z.number().int().positive();
