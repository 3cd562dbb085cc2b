import * as z from 'zod';
import { IsoDateTimeSchema, OwnerIdSchema } from './primitives.js';

export const SYNC_KINDS = ['import', 'audible_sync', 'match', 'notion_push', 'notion_pull', 'cleanup'] as const;
export const SyncKindSchema = z.enum(SYNC_KINDS);
export type SyncKind = z.infer<typeof SyncKindSchema>;

export const SyncCountsSchema = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type SyncCounts = z.infer<typeof SyncCountsSchema>;

/** One import or sync, logged for status pages and rate limits. */
export const SyncRunSchema = z.object({
  ownerId: OwnerIdSchema,
  id: z.string().min(1),
  kind: SyncKindSchema,
  /** What was synced: a file name, an account, a database. */
  source: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: IsoDateTimeSchema,
  finishedAt: IsoDateTimeSchema.nullable(),
  counts: SyncCountsSchema,
  error: z.string().nullable(),
});
export type SyncRun = z.infer<typeof SyncRunSchema>;
