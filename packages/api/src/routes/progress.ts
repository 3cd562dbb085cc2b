import { applyListeningEvent, AsinSchema, IsoDateTimeSchema, NotFoundError, PercentSchema, type ProgressSource } from '@sagasync/core';
import * as z from 'zod';
import { defineRoute, ok, type ApiContext } from '../http/route.js';
import { pageOf, PageQuerySchema } from '../read-models/page.js';
import { HistoryEntrySchema, listeningEventResponse, ListeningEventResponseSchema } from '../read-models/progress.js';

const AsinParams = z.object({ asin: z.string().transform((s) => s.trim().toUpperCase()).pipe(AsinSchema) });

export const ListeningEventBodySchema = z.object({
  kind: z.enum(['started', 'finished', 'progress', 'reset']),
  percent: PercentSchema.optional(),
  at: IsoDateTimeSchema.optional(),
});

async function event(ctx: ApiContext, asin: string, body: z.infer<typeof ListeningEventBodySchema>, source: ProgressSource) {
  const result = await applyListeningEvent(ctx, { asin, kind: body.kind, percent: body.percent, at: body.at, source });
  return listeningEventResponse(asin, result);
}

export const progressEventRoute = defineRoute({
  id: 'recordListeningEvent',
  method: 'POST',
  path: '/api/progress/:asin/events',
  auth: 'user',
  tag: 'progress',
  summary: 'A listening event (started, progress, finished, reset) with history and the series cascade',
  params: AsinParams,
  body: ListeningEventBodySchema,
  responses: { 200: ListeningEventResponseSchema },
  async handler(ctx, { params, body }) {
    return ok(await event(ctx, params.asin, body, 'manual'));
  },
});

export const progressHistoryRoute = defineRoute({
  id: 'progressHistory',
  method: 'GET',
  path: '/api/progress/:asin/history',
  auth: 'user',
  tag: 'progress',
  summary: "A title's progress history, oldest first",
  params: AsinParams,
  query: PageQuerySchema,
  responses: { 200: pageOf(HistoryEntrySchema) },
  async handler(ctx, { params, query }) {
    const title = await ctx.storage.getTitle(ctx.ownerId, params.asin);
    if (!title) throw new NotFoundError('title', params.asin);
    const page = await ctx.storage.listHistory(ctx.ownerId, params.asin, query);
    return ok({ items: page.items.map(({ ownerId: _owner, ...entry }) => entry), nextCursor: page.nextCursor });
  },
});

/** The started / finished webhooks of the auto-tracking design: `{asin, percent?, at?}`, signed. */
export const WebhookEventBodySchema = z.object({ asin: AsinParams.shape.asin, percent: PercentSchema.optional(), at: IsoDateTimeSchema.optional() });

export const webhookStartedRoute = defineRoute({
  id: 'webhookStarted',
  method: 'POST',
  path: '/webhook/started',
  auth: 'webhook',
  tag: 'webhooks',
  summary: 'A device started (or progressed in) a title',
  body: WebhookEventBodySchema,
  responses: { 200: ListeningEventResponseSchema },
  async handler(ctx, { body }) {
    return ok(await event(ctx, body.asin, { kind: body.percent !== undefined && body.percent > 0 ? 'progress' : 'started', percent: body.percent, at: body.at }, 'webhook'));
  },
});

export const webhookFinishedRoute = defineRoute({
  id: 'webhookFinished',
  method: 'POST',
  path: '/webhook/finished',
  auth: 'webhook',
  tag: 'webhooks',
  summary: 'A device finished a title',
  body: WebhookEventBodySchema.omit({ percent: true }),
  responses: { 200: ListeningEventResponseSchema },
  async handler(ctx, { body }) {
    return ok(await event(ctx, body.asin, { kind: 'finished', at: body.at }, 'webhook'));
  },
});
