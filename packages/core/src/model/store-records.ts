import * as z from 'zod';
import { AsinSchema, IsoDateTimeSchema, OwnerIdSchema, PercentSchema } from './primitives.js';
import { ListeningStatusSchema } from './progress.js';

/**
 * Records the stores keep besides the library itself: what was mirrored where, what each source
 * said last, which names join which series, who holds a lease, and short-lived keys. Each has its
 * own operations in the storage port, so none of them grows into one ever-larger value.
 */

export const MIRROR_TABLES = ['books', 'series'] as const;
export const MirrorTableNameSchema = z.enum(MIRROR_TABLES);
export type MirrorTableName = z.infer<typeof MirrorTableNameSchema>;

/** One mirrored Notion page: where it is, and a hash of each property value last written or seen there. */
export const MirrorRecordSchema = z.object({
  ownerId: OwnerIdSchema,
  table: MirrorTableNameSchema,
  /** The ASIN of a book, the key of a series. */
  key: z.string().min(1),
  pageId: z.string().min(1),
  /** `created` by SagaSync, or `adopted` from the person's own tracker (a reset leaves those alone). */
  origin: z.enum(['created', 'adopted']),
  /** A synthetic volume (not owned) when the page was last written. */
  synthetic: z.boolean(),
  hashes: z.record(z.string(), z.string()),
  updatedAt: IsoDateTimeSchema,
});
export type MirrorRecord = z.infer<typeof MirrorRecordSchema>;

/** What one source last said about a title's progress; absent fields are unknown, never invented. */
export const BaselineValueSchema = z.object({
  status: ListeningStatusSchema.nullable().optional(),
  percentComplete: PercentSchema.nullable().optional(),
  isFinished: z.boolean().nullable().optional(),
  finishedAt: IsoDateTimeSchema.nullable().optional(),
  lastPositionMs: z.number().int().nonnegative().nullable().optional(),
});
export type BaselineValue = z.infer<typeof BaselineValueSchema>;

/**
 * The last value a source gave for a title's progress. A three-way merge compares a source's new
 * value with this one: a source that has not changed never overrides a newer change from elsewhere.
 */
export const SourceBaselineSchema = z.object({
  ownerId: OwnerIdSchema,
  asin: AsinSchema,
  /** e.g. `sync`, `import`, `notion`, `webhook`. */
  source: z.string().min(1).max(200),
  value: BaselineValueSchema,
  /** When the source observed the value. */
  observedAt: IsoDateTimeSchema,
});
export type SourceBaseline = z.infer<typeof SourceBaselineSchema>;

/** A name-keyed series (`title:...`) joined to the ASIN-keyed series it turned out to be. */
export const SeriesAliasSchema = z.object({
  ownerId: OwnerIdSchema,
  /** The alias key, e.g. `title:the expanse`. */
  alias: z.string().min(1),
  /** The series it stands for. */
  seriesKey: z.string().min(1),
  createdAt: IsoDateTimeSchema,
});
export type SeriesAlias = z.infer<typeof SeriesAliasSchema>;

/**
 * Held by one holder until it expires or is released; anything that must not run twice at once
 * for an owner (a Notion push, a scheduled sync) takes one. `fence` grows on every acquisition, so
 * a holder that lost its lease can tell.
 */
export const LeaseSchema = z.object({
  ownerId: OwnerIdSchema,
  name: z.string().min(1).max(200),
  holder: z.string().min(1).max(200),
  fence: z.number().int().positive(),
  acquiredAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema,
});
export type Lease = z.infer<typeof LeaseSchema>;

/** An idempotency key, a replay nonce or a cached answer, gone after `expiresAt`. */
export const ExpiringRecordSchema = z.object({
  ownerId: OwnerIdSchema,
  /** e.g. `idempotency`, `nonce`, `cache`. */
  kind: z.string().min(1).max(100),
  key: z.string().min(1).max(500),
  value: z.json(),
  createdAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema,
});
export type ExpiringRecord = z.infer<typeof ExpiringRecordSchema>;
