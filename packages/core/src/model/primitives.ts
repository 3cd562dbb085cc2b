import { z } from 'zod';

/** Audible product id: ten upper-case letters or digits (B0..., or an ISBN-10 for older titles). */
export const AsinSchema = z.string().regex(/^[A-Z0-9]{10}$/, 'an ASIN is 10 letters or digits');
export type Asin = z.infer<typeof AsinSchema>;

/** The owner every record belongs to: a person or household. The CLI's owner is `local`. */
export const OwnerIdSchema = z.string().min(1).max(200);
export type OwnerId = z.infer<typeof OwnerIdSchema>;

/** ISO 8601 timestamp in UTC, e.g. `2024-01-02T15:04:05.000Z`. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
/** Calendar date `YYYY-MM-DD`, or a full ISO timestamp. */
export const IsoDateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const PercentSchema = z.number().min(0).max(100);

/** Optimistic-concurrency version: 1 after create, +1 on each update. */
export const VersionSchema = z.number().int().positive();
