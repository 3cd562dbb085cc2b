import { importLibrary, LibraryRecordsSchema, SagaSyncError } from '@sagasync/core';
import * as z from 'zod';
import { parseWith } from '../http/parse.js';
import type { ApiContext, ApiServices } from '../http/context.js';
import { IMPORT_ANSWER_MAX_CHANGES, namedImportAnswer } from '../read-models/import-answer.js';
import type { JobKind } from './job.js';

export const ImportJobInputSchema = z.object({ records: LibraryRecordsSchema, source: z.string().nullable().optional(), commit: z.boolean() });

/** The work of each kind of job, the same whichever runner runs it. */
export async function runJobWork(ctx: ApiContext, kind: JobKind, input: unknown): Promise<unknown> {
  switch (kind) {
    case 'import': {
      const { records, source, commit } = parseWith(ImportJobInputSchema, input, 'job');
      return namedImportAnswer(ctx, await importLibrary(ctx, records, { commit, source: source ?? undefined, listLimit: IMPORT_ANSWER_MAX_CHANGES }), records);
    }
    case 'audible_sync': {
      const { records, source } = await service(ctx, 'audibleFetch')(ctx);
      return namedImportAnswer(ctx, await importLibrary(ctx, records, { commit: true, source, kind: 'audible_sync', progressSource: 'sync', listLimit: IMPORT_ANSWER_MAX_CHANGES }), records);
    }
    case 'notion_push': {
      const options = parseWith(z.object({ dryRun: z.boolean().default(false) }), input ?? {}, 'job');
      return service(ctx, 'notionPush')(ctx, options);
    }
    case 'match': {
      const options = parseWith(z.object({ text: z.string(), source: z.enum(['goodreads', 'storygraph', 'csv']).optional(), commit: z.boolean() }), input, 'job');
      return service(ctx, 'match')(ctx, options);
    }
  }
}

/** A service the host wired, or `config_missing` naming it. */
export function service<K extends keyof ApiServices>(ctx: ApiContext, name: K): NonNullable<ApiServices[K]> {
  const found = ctx.services[name];
  if (!found) throw new SagaSyncError('config_missing', `this SagaSync host does not offer ${name}`, { details: { location: name } });
  return found as NonNullable<ApiServices[K]>;
}
