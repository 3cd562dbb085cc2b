import * as z from 'zod';
import { AsinSchema, IsoDateTimeSchema, OwnerIdSchema, VersionSchema } from './primitives.js';
import { ListeningStatusSchema } from './progress.js';

export const TRACKER_SOURCES = ['goodreads', 'storygraph', 'csv', 'notion', 'server'] as const;
export const TrackerSourceSchema = z.enum(TRACKER_SOURCES);
export type TrackerSource = z.infer<typeof TrackerSourceSchema>;

/** A book in the user's own tracker: a Notion page, a Goodreads or StoryGraph row, a server book. */
export const TrackerBookSchema = z.object({
  ownerId: OwnerIdSchema,
  source: TrackerSourceSchema,
  /** Goodreads `Book Id`, a Notion page id, or a stable id derived from the row. */
  trackerId: z.string().min(1),
  title: z.string().min(1),
  authors: z.array(z.string()),
  isbn10: z.string().nullable(),
  isbn13: z.string().nullable(),
  asin: AsinSchema.nullable(),
  /** Series name and number found in the tracker (`Dune (Dune, #1)`), a hint only. */
  seriesHint: z.object({ title: z.string(), sequence: z.string() }).nullable(),
  status: ListeningStatusSchema.nullable(),
  updatedAt: IsoDateTimeSchema,
});
export type TrackerBook = z.infer<typeof TrackerBookSchema>;

export const LINK_METHODS = ['asin', 'isbn', 'title_author', 'manual'] as const;
export const LinkMethodSchema = z.enum(LINK_METHODS);
export type LinkMethod = z.infer<typeof LinkMethodSchema>;

/** A title joined to a tracker book. One link per (owner, asin, tracker source). */
export const LinkSchema = z.object({
  ownerId: OwnerIdSchema,
  asin: AsinSchema,
  source: TrackerSourceSchema,
  trackerId: z.string().min(1),
  method: LinkMethodSchema,
  score: z.number().min(0).max(1),
  createdAt: IsoDateTimeSchema,
});
export type Link = z.infer<typeof LinkSchema>;

export const ConflictCandidateSchema = z.object({
  asin: AsinSchema,
  score: z.number().min(0).max(1),
  reason: z.string(),
});
export type ConflictCandidate = z.infer<typeof ConflictCandidateSchema>;

/** An ambiguous match waiting for a person. Keyed by the tracker book it is about. */
export const ConflictSchema = z.object({
  ownerId: OwnerIdSchema,
  /** Stable id: `${source}:${trackerId}`. */
  id: z.string().min(1),
  source: TrackerSourceSchema,
  trackerId: z.string().min(1),
  candidates: z.array(ConflictCandidateSchema),
  reason: z.string(),
  status: z.enum(['open', 'resolved']),
  createdAt: IsoDateTimeSchema,
  resolvedAt: IsoDateTimeSchema.nullable(),
  version: VersionSchema,
});
export type Conflict = z.infer<typeof ConflictSchema>;

/**
 * A person's decision, remembered and applied on every later run: `link` joins the pair,
 * `reject` says "not this one". `asin: null` with `reject` means "none of these titles".
 */
export const MatchDecisionSchema = z.object({
  ownerId: OwnerIdSchema,
  source: TrackerSourceSchema,
  trackerId: z.string().min(1),
  asin: AsinSchema.nullable(),
  decision: z.enum(['link', 'reject']),
  decidedAt: IsoDateTimeSchema,
});
export type MatchDecision = z.infer<typeof MatchDecisionSchema>;
