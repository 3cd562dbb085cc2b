import * as z from 'zod';

/** Audible product id: ten upper-case letters or digits (B0..., or an ISBN-10 for older titles). */
export const AsinSchema = z.string().regex(/^[A-Z0-9]{10}$/, 'an ASIN is 10 letters or digits');
export type Asin = z.infer<typeof AsinSchema>;

/** The owner every record belongs to: a person or household. The CLI's owner is `local`. */
export const OwnerIdSchema = z.string().min(1).max(200);
export type OwnerId = z.infer<typeof OwnerIdSchema>;

/** ISO 8601 timestamp in UTC, e.g. `2024-01-02T15:04:05.000Z`. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
/**
 * Calendar date `YYYY-MM-DD`, or a full ISO timestamp: one pattern made of zod's own date and
 * date-time patterns (the ones `z.iso.date()` and `z.iso.datetime({ offset: true })` check), so a
 * value is checked in one regular expression test, with no nested parse per value.
 */
const ISO_DATE_OR_DATETIME = new RegExp(`${z.regexes.date.source}|${z.regexes.datetime({ offset: true }).source}`);
export const IsoDateSchema = z.string().regex(ISO_DATE_OR_DATETIME, 'expected an ISO date (YYYY-MM-DD) or timestamp');

export const PercentSchema = z.number().min(0).max(100);

/** Optimistic-concurrency version: 1 after create, +1 on each update. */
export const VersionSchema = z.number().int().positive();
