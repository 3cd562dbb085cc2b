import { SagasyncLibraryFileSchema } from '@sagasync/audible-parser';
import { LibraryRecordsSchema, LISTENING_STATUSES, SagaSyncError, importLibrary } from '@sagasync/core';
import * as z from 'zod';
import { accepted, defineRoute, ok, type RouteResult } from '../http/route.js';
import { JobSchema } from '../jobs/job.js';
import { BookRowSchema, listBooks } from '../read-models/books.js';
import { IMPORT_ANSWER_MAX_CHANGES, ImportAnswerSchema, namedImportAnswer } from '../read-models/import-answer.js';
import { pageOf, PageQuerySchema } from '../read-models/page.js';

/** Above this many titles a committed import runs as a job, so the request returns at once. */
export const IMPORT_INLINE_MAX_TITLES = 2_000;

export const ImportRequestSchema = z.object({
  records: LibraryRecordsSchema,
  /** Write the change set; without it the answer is a preview and nothing is written. */
  commit: z.boolean().default(false),
  /** What was imported (a file name), for the run log. */
  source: z.string().max(500).nullable().optional(),
});

export const importRoute = defineRoute({
  id: 'importLibrary',
  method: 'POST',
  path: '/api/import',
  auth: 'user',
  tag: 'library',
  summary: 'Preview or commit an import of library records (a large commit runs as a job)',
  body: ImportRequestSchema,
  responses: { 200: ImportAnswerSchema, 202: JobSchema },
  async handler(ctx, { body }): Promise<RouteResult<unknown>> {
    if (body.commit && body.records.titles.length > (ctx.jobs.inlineImportMaxTitles ?? IMPORT_INLINE_MAX_TITLES)) {
      return accepted(await ctx.jobs.start(ctx, 'import', body));
    }
    return ok(await namedImportAnswer(ctx, await importLibrary(ctx, body.records, { commit: body.commit, source: body.source ?? undefined, listLimit: IMPORT_ANSWER_MAX_CHANGES }), body.records));
  },
});

const yes = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const listBooksRoute = defineRoute({
  id: 'listBooks',
  method: 'GET',
  path: '/api/books',
  auth: 'user',
  tag: 'library',
  summary: 'Titles with series, status and percent; filter by status, series and ownership',
  query: PageQuerySchema.extend({
    status: z.enum(LISTENING_STATUSES).optional(),
    series: z.string().min(1).optional(),
    owned: yes.optional(),
  }),
  responses: { 200: pageOf(BookRowSchema) },
  async handler(ctx, { query }) {
    return ok(await listBooks(ctx, query));
  },
});

export const exportRoute = defineRoute({
  id: 'exportLibrary',
  method: 'GET',
  path: '/api/export',
  auth: 'user',
  tag: 'library',
  summary: 'The whole library as a SagaSync library file, which imports back unchanged',
  responses: { 200: SagasyncLibraryFileSchema },
  async handler(ctx) {
    const { storage, ownerId } = ctx;
    const [titles, series, progress] = await Promise.all([storage.listTitles(ownerId), storage.listSeries(ownerId), storage.listProgress(ownerId)]);
    const now = ctx.clock ? ctx.clock() : new Date();
    const { buildLibraryFile } = await import('@sagasync/audible-parser');
    if (titles.items.length === 0) throw new SagaSyncError('not_found', 'the library is empty: nothing to export', { details: { location: 'library' } });
    return ok(buildLibraryFile({ titles: titles.items, series: series.items, progress: progress.items, exportedAt: now.toISOString() }));
  },
});
