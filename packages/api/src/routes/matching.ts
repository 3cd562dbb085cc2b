import { AsinSchema, TRACKER_SOURCES } from '@sagasync/core';
import * as z from 'zod';
import { accepted, defineRoute, ok } from '../http/route.js';
import { JobSchema } from '../jobs/job.js';
import { ConflictJsonSchema, conflictJson } from '../read-models/conflicts.js';
import { pageOf, PageQuerySchema } from '../read-models/page.js';

const Asin = z.string().transform((s) => s.trim().toUpperCase()).pipe(AsinSchema);

/** The matcher, loaded when a matching route runs: hosts that never match never load it. */
const matcher = () => import('@sagasync/matcher');

/** A use case's expected failure (a `Result`) becomes the error the host answers with. */
function unwrap<T>(result: { success: true; value: T } | { success: false; error: unknown }): T {
  if (!result.success) throw result.error;
  return result.value;
}

export const MatchRequestSchema = z.object({
  /** The tracker export's text (Goodreads or StoryGraph CSV, or a generic CSV). */
  text: z.string().min(1).max(50_000_000),
  source: z.enum(['goodreads', 'storygraph', 'csv']).optional(),
  commit: z.boolean().default(false),
});

export const matchRoute = defineRoute({
  id: 'match',
  method: 'POST',
  path: '/api/match',
  auth: 'user',
  tag: 'matching',
  summary: 'Link titles to a tracker export: ASIN, ISBN, then title and author (a job)',
  body: MatchRequestSchema,
  responses: { 202: JobSchema },
  async handler(ctx, { body }) {
    return accepted(await ctx.jobs.start(ctx, 'match', body));
  },
});

export const listConflictsRoute = defineRoute({
  id: 'listConflicts',
  method: 'GET',
  path: '/api/conflicts',
  auth: 'user',
  tag: 'matching',
  summary: 'Conflicts waiting for a person (all with status=all), with ranked candidates',
  query: PageQuerySchema.extend({ status: z.enum(['open', 'all']).default('open') }),
  responses: { 200: pageOf(ConflictJsonSchema) },
  async handler(ctx, { query }) {
    const { pageConflicts } = await matcher();
    const page = await pageConflicts(ctx, { ...(query.status === 'all' ? {} : { status: 'open' as const }), limit: query.limit, cursor: query.cursor });
    return ok({ items: page.items.map(conflictJson), nextCursor: page.nextCursor });
  },
});

export const ResolveResponseSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'resolved']),
  link: z.object({ asin: z.string(), trackerId: z.string(), method: z.string() }).nullable(),
});

export const resolveConflictRoute = defineRoute({
  id: 'resolveConflict',
  method: 'POST',
  path: '/api/conflicts/:id/resolve',
  auth: 'user',
  tag: 'matching',
  summary: 'Decide a conflict: link one candidate, or none; remembered on every later match',
  params: z.object({ id: z.string().min(1) }),
  body: z.union([z.object({ link: Asin }).strict(), z.object({ none: z.literal(true) }).strict()]),
  responses: { 200: ResolveResponseSchema },
  async handler(ctx, { params, body }) {
    const { resolveConflict } = await matcher();
    const outcome = unwrap(await resolveConflict(ctx, params.id, 'link' in body ? { link: body.link } : { none: true }));
    return ok({
      id: params.id,
      status: outcome.conflict.status,
      link: outcome.link ? { asin: outcome.link.asin, trackerId: outcome.link.trackerId, method: outcome.link.method } : null,
    });
  },
});

export const LinkResponseSchema = z.object({ asin: z.string(), trackerId: z.string(), source: z.string(), method: z.string(), replaced: z.string().nullable() });

export const linkRoute = defineRoute({
  id: 'link',
  method: 'POST',
  path: '/api/links',
  auth: 'user',
  tag: 'matching',
  summary: 'Link a title to a tracker book by hand; the link wins on every later match',
  body: z.object({ asin: Asin, trackerId: z.string().min(1), source: z.enum(TRACKER_SOURCES).optional() }),
  responses: { 200: LinkResponseSchema },
  async handler(ctx, { body }) {
    const { linkManually } = await matcher();
    const outcome = unwrap(await linkManually(ctx, body.asin, body.trackerId, body.source));
    return ok({
      asin: outcome.link.asin,
      trackerId: outcome.link.trackerId,
      source: outcome.link.source,
      method: outcome.link.method,
      replaced: outcome.replaced?.trackerId ?? null,
    });
  },
});

export const UnlinkResponseSchema = z.object({ removed: z.array(z.object({ asin: z.string(), trackerId: z.string(), source: z.string() })) });

export const unlinkRoute = defineRoute({
  id: 'unlink',
  method: 'DELETE',
  path: '/api/links/:asin',
  auth: 'user',
  tag: 'matching',
  summary: "Remove a title's link (only the one to `source` when given) and remember it is not that book",
  params: z.object({ asin: Asin }),
  query: z.object({ source: z.enum(TRACKER_SOURCES).optional() }),
  responses: { 200: UnlinkResponseSchema },
  async handler(ctx, { params, query }) {
    const { unlink } = await matcher();
    const outcome = unwrap(await unlink(ctx, params.asin, query.source));
    return ok({ removed: outcome.removed.map((l) => ({ asin: l.asin, trackerId: l.trackerId, source: l.source })) });
  },
});

/** The auto-tracking design's paths for the same operations, kept for its clients. */
export const audibleLinkRoute = defineRoute({ ...linkRoute, id: 'audibleLink', path: '/api/audible/link', summary: `${linkRoute.summary} (the auto-tracking path)` });
export const audibleConflictsRoute = defineRoute({
  ...listConflictsRoute,
  id: 'audibleConflicts',
  path: '/api/audible/conflicts',
  summary: `${listConflictsRoute.summary} (the auto-tracking path)`,
});
export const audibleResolveConflictRoute = defineRoute({
  ...resolveConflictRoute,
  id: 'audibleResolveConflict',
  path: '/api/audible/conflicts/:id/resolve',
  summary: `${resolveConflictRoute.summary} (the auto-tracking path)`,
});
