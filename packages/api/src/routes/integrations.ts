import { SagaSyncError } from '@sagasync/core';
import * as z from 'zod';
import { accepted, defineRoute, ok } from '../http/route.js';
import { JobSchema, loadJob } from '../jobs/job.js';
import { service } from '../jobs/job-work.js';

export const notionStatusRoute = defineRoute({
  id: 'notionStatus',
  method: 'GET',
  path: '/api/notion/status',
  auth: 'user',
  tag: 'notion',
  summary: 'The Notion databases in use and what is mirrored',
  responses: { 200: z.record(z.string(), z.unknown()) },
  async handler(ctx) {
    return ok((await service(ctx, 'notionStatus')(ctx)) as Record<string, unknown>);
  },
});

export const notionPushRoute = defineRoute({
  id: 'notionPush',
  method: 'POST',
  path: '/api/notion/push',
  auth: 'user',
  tag: 'notion',
  summary: 'Mirror series and books into Notion (a job)',
  body: z.object({ dryRun: z.boolean().default(false) }),
  responses: { 202: JobSchema },
  async handler(ctx, { body }) {
    return accepted(await ctx.jobs.start(ctx, 'notion_push', body));
  },
});

export const notionWebhookRoute = defineRoute({
  id: 'notionWebhook',
  method: 'POST',
  path: '/webhook/notion',
  auth: 'webhook',
  tag: 'webhooks',
  summary: "Notion's page events: status edits made by hand come back with the cascade",
  body: z.record(z.string(), z.unknown()),
  responses: { 200: z.record(z.string(), z.unknown()) },
  async handler(ctx, { body }) {
    return ok(((await service(ctx, 'notionWebhook')(ctx, body)) ?? {}) as Record<string, unknown>);
  },
});

/** The auto-tracking design's sync status fields, names kept. */
export const AudibleStatusSchema = z.object({
  can_sync: z.boolean(),
  reason: z.string(),
  next_allowed_sync: z.string().nullable(),
  syncs_remaining_today: z.number().int(),
  stats: z.object({
    /** Owned titles. */
    total_mappings: z.number().int(),
    /** Owned titles linked to a tracker book. */
    mapped: z.number().int(),
    unmapped: z.number().int(),
    currently_reading: z.number().int(),
    last_sync: z.string().nullable(),
    last_status: z.enum(['running', 'succeeded', 'failed']).nullable(),
  }),
});

export const audibleStatusRoute = defineRoute({
  id: 'audibleStatus',
  method: 'GET',
  path: '/api/audible/status',
  auth: 'user',
  tag: 'audible',
  summary: 'Whether a sync may run now (15 minutes apart, 600 a day by default) and the last syncs',
  responses: { 200: AudibleStatusSchema },
  async handler(ctx) {
    const { storage, ownerId } = ctx;
    const [schedule, runs, owned, byStatus, links] = await Promise.all([
      service(ctx, 'audibleSchedule')(ctx, false),
      storage.listSyncRuns(ownerId, { kind: 'audible_sync', limit: 1 }),
      storage.countTitles(ownerId, { owned: true }),
      storage.countTitlesByStatus(ownerId, { owned: true }),
      storage.listLinks(ownerId),
    ]);
    const linked = new Set(links.items.map((l) => l.asin));
    const mapped = linked.size === 0 ? 0 : (await storage.getTitles(ownerId, [...linked])).filter((t) => t.owned).length;
    const last = runs.items[0] ?? null;
    return ok({
      ...schedule,
      stats: {
        total_mappings: owned,
        mapped,
        unmapped: owned - mapped,
        currently_reading: byStatus.in_progress,
        last_sync: last?.startedAt ?? null,
        last_status: last?.status ?? null,
      },
    });
  },
});

export const audibleSyncRoute = defineRoute({
  id: 'audibleSync',
  method: 'POST',
  path: '/api/audible/sync',
  auth: 'user',
  tag: 'audible',
  summary: 'Sync the library from Audible (a job); 429 with the sync status when the limits refuse',
  responses: { 202: JobSchema },
  async handler(ctx) {
    const claim = await service(ctx, 'audibleSchedule')(ctx, true);
    if (!claim.can_sync) {
      throw new SagaSyncError('rate_limited', `sync refused: ${claim.reason}; next allowed ${claim.next_allowed_sync ?? 'tomorrow'}`, { details: { location: 'sync', ...claim } });
    }
    return accepted(await ctx.jobs.start(ctx, 'audible_sync', {}));
  },
});

export const getJobRoute = defineRoute({
  id: 'getJob',
  method: 'GET',
  path: '/api/jobs/:id',
  auth: 'user',
  tag: 'jobs',
  summary: "A job's state and, once finished, its result",
  params: z.object({ id: z.string().min(1).max(100) }),
  responses: { 200: JobSchema },
  async handler(ctx, { params }) {
    return ok(await loadJob(ctx, params.id, ctx.clock ? ctx.clock() : new Date()));
  },
});
