import { recomputeSeries } from '@sagasync/core';
import * as z from 'zod';
import { defineRoute, ok } from '../http/route.js';
import { pageOf, PageQuerySchema } from '../read-models/page.js';
import { SeriesJsonSchema, seriesJson, seriesReport, showSeries } from '../read-models/series.js';

export const listSeriesRoute = defineRoute({
  id: 'listSeries',
  method: 'GET',
  path: '/api/series',
  auth: 'user',
  tag: 'series',
  summary: 'Every series with status, counts, gaps, next up and next to buy, by title',
  query: PageQuerySchema,
  responses: { 200: pageOf(SeriesJsonSchema) },
  async handler(ctx, { query }) {
    return ok(await seriesReport(ctx, query));
  },
});

export const showSeriesRoute = defineRoute({
  id: 'showSeries',
  method: 'GET',
  path: '/api/series/:query',
  auth: 'user',
  tag: 'series',
  summary: 'The series a name, series ASIN or title ASIN names (several when names agree); 404 suggests names',
  params: z.object({ query: z.string().min(1).max(500) }),
  responses: { 200: z.object({ items: z.array(SeriesJsonSchema) }) },
  async handler(ctx, { params }) {
    return ok(await showSeries(ctx, params.query));
  },
});

export const RecomputeResponseSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  /** Series named only by title that joined the Audible series they are (counted in `removed`). */
  merged: z.number().int(),
  series: z.array(SeriesJsonSchema),
});

export const recomputeSeriesRoute = defineRoute({
  id: 'recomputeSeries',
  method: 'POST',
  path: '/api/series/recompute',
  auth: 'user',
  tag: 'series',
  summary: 'Rebuild series records from the titles',
  responses: { 200: RecomputeResponseSchema },
  async handler(ctx) {
    const result = await recomputeSeries(ctx);
    return ok({ created: result.created, updated: result.updated, removed: result.removed, merged: result.merged, series: result.series.map(seriesJson) });
  },
});
