import * as z from 'zod';
import { AsinSchema, IsoDateTimeSchema, OwnerIdSchema, PercentSchema, VersionSchema } from './primitives.js';

export const LISTENING_STATUSES = ['not_started', 'in_progress', 'finished'] as const;
export const ListeningStatusSchema = z.enum(LISTENING_STATUSES);
export type ListeningStatus = z.infer<typeof ListeningStatusSchema>;

export const PROGRESS_SOURCES = ['import', 'sync', 'webhook', 'manual', 'notion'] as const;
export const ProgressSourceSchema = z.enum(PROGRESS_SOURCES);
export type ProgressSource = z.infer<typeof ProgressSourceSchema>;

/** What a source reports about listening to one title at one moment. */
export const ProgressReportSchema = z.object({
  asin: AsinSchema,
  percentComplete: PercentSchema.nullable().optional(),
  isFinished: z.boolean().nullable().optional(),
  finishedAt: IsoDateTimeSchema.nullable().optional(),
  lastPositionMs: z.number().int().nonnegative().nullable().optional(),
  /** When the source observed this state; defaults to the time it was applied. */
  observedAt: IsoDateTimeSchema.optional(),
});
export type ProgressReport = z.infer<typeof ProgressReportSchema>;

export const ProgressSchema = z.object({
  ownerId: OwnerIdSchema,
  asin: AsinSchema,
  status: ListeningStatusSchema,
  percentComplete: PercentSchema,
  isFinished: z.boolean(),
  startedAt: IsoDateTimeSchema.nullable(),
  finishedAt: IsoDateTimeSchema.nullable(),
  lastPositionMs: z.number().int().nonnegative().nullable(),
  /** How many times the title was finished; a re-listen starts another round. */
  finishCount: z.number().int().nonnegative(),
  /**
   * When the current value was decided, by the deciding source's own clock where it has one (a
   * webhook's `at`, Audible's last-position time, Notion's last edit), and which source decided it
   * (`file`, `audible:<account>`, `notion`, `webhook`, `manual`). A change from another source
   * that happened earlier loses to it. Absent on rows written before sources were tracked.
   */
  changedAt: IsoDateTimeSchema.nullable().optional(),
  changedBy: z.string().nullable().optional(),
  /**
   * What `changedBy` said, as it said it: that source's baseline, kept on the row so an import
   * writes no baseline of its own. It becomes a stored baseline only once another source changes
   * the title.
   */
  changedValue: z
    .object({
      percentComplete: PercentSchema.nullable().optional(),
      isFinished: z.boolean().nullable().optional(),
      finishedAt: IsoDateTimeSchema.nullable().optional(),
      lastPositionMs: z.number().int().nonnegative().nullable().optional(),
    })
    .nullable()
    .optional(),
  version: VersionSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Progress = z.infer<typeof ProgressSchema>;

/** `superseded`: a source's change that lost to a later change from another source; kept, not applied. */
export const PROGRESS_EVENTS = ['started', 'progressed', 'finished', 'restarted', 'reset', 'regression_ignored', 'superseded'] as const;
export const ProgressEventSchema = z.enum(PROGRESS_EVENTS);
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/** One change of a title's progress. History is append-only and ordered by (at, id). */
export const ProgressHistoryEntrySchema = z.object({
  ownerId: OwnerIdSchema,
  asin: AsinSchema,
  /** Time-ordered unique id (see `newId`), the tie-break for entries with the same `at`. */
  id: z.string().min(1),
  at: IsoDateTimeSchema,
  source: ProgressSourceSchema,
  event: ProgressEventSchema,
  fromStatus: ListeningStatusSchema.nullable(),
  toStatus: ListeningStatusSchema,
  fromPercent: PercentSchema.nullable(),
  toPercent: PercentSchema,
  note: z.string().nullable(),
});
export type ProgressHistoryEntry = z.infer<typeof ProgressHistoryEntrySchema>;
