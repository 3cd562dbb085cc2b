import { applyListeningEvent, AsinSchema, IsoDateTimeSchema, PercentSchema, type ProgressSource } from '@sagasync/core';
import * as z from 'zod';
import { defineRoute, ok, type ApiContext } from '../http/route.js';
import { PageQuerySchema } from '../read-models/page.js';
import { HistoryPageSchema, listeningEventResponse, ListeningEventResponseSchema } from '../read-models/progress.js';
import { resolveTitle } from '../read-models/titles.js';

const AsinParams = z.object({ asin: z.string().transform((s) => s.trim().toUpperCase()).pipe(AsinSchema) });

/** A title as a person names it: its ASIN, or its title (see `resolveTitle`). */
const TitleParams = z.object({
  asin: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('An ASIN, or a title (case-insensitive): the exact title, else the one title that starts with or contains it. Several matches are a 400 listing them; none, a 404 with suggestions.'),
});

export const ListeningEventBodySchema = z.object({
  kind: z.enum(['started', 'finished', 'progress', 'reset']),
  percent: PercentSchema.optional(),
  at: IsoDateTimeSchema.optional(),
});

async function event(ctx: ApiContext, asinOrTitle: string, body: z.infer<typeof ListeningEventBodySchema>, source: ProgressSource) {
  const title = await resolveTitle(ctx, asinOrTitle);
  const result = await applyListeningEvent(ctx, { asin: title.asin, kind: body.kind, percent: body.percent, at: body.at, source }, { title });
  return listeningEventResponse(title, result);
}

export const progressEventRoute = defineRoute({
  id: 'recordListeningEvent',
  method: 'POST',
  path: '/api/progress/:asin/events',
  auth: 'user',
  tag: 'progress',
  summary: 'A listening event (started, progress, finished, reset) on a title named by ASIN or title, with history and the series cascade',
  params: TitleParams,
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
  summary: "A title's progress history (by ASIN or title), oldest first",
  params: TitleParams,
  query: PageQuerySchema,
  responses: { 200: HistoryPageSchema },
  async handler(ctx, { params, query }) {
    const title = await resolveTitle(ctx, params.asin);
    const page = await ctx.storage.listHistory(ctx.ownerId, title.asin, query);
    return ok({ asin: title.asin, title: title.title, items: page.items.map(({ ownerId: _owner, ...entry }) => entry), nextCursor: page.nextCursor });
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
