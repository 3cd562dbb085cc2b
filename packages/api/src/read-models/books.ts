import { ListeningStatusSchema, positionStart, type ListeningStatus, type Page, type Progress, type Title } from '@sagasync/core';
import * as z from 'zod';
import type { ApiContext } from '../http/route.js';
import { resolveSeriesKeys } from './series.js';

/** One title as `books list` shows it. */
export const BookRowSchema = z.object({
  asin: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  authors: z.array(z.string()),
  narrators: z.array(z.string()),
  series: z.array(
    z.object({ title: z.string(), sequence: z.string(), position: z.number().nullable(), positionEnd: z.number().optional() }),
  ),
  status: ListeningStatusSchema,
  percentComplete: z.number(),
  owned: z.boolean(),
});
export type BookRow = z.infer<typeof BookRowSchema>;

export interface BookQuery {
  status?: ListeningStatus;
  /** A series name, series key or series ASIN. */
  series?: string;
  owned?: boolean;
  limit?: number;
  cursor?: string;
}

export function bookRow(title: Title, progress: Progress | undefined): BookRow {
  return {
    asin: title.asin,
    title: title.title,
    subtitle: title.subtitle,
    authors: title.authors,
    narrators: title.narrators,
    series: title.series.map((m) => ({
      title: m.seriesTitle,
      sequence: m.sequence,
      position: positionStart(m.position),
      ...(m.position.kind === 'range' ? { positionEnd: m.position.end } : {}),
    })),
    status: progress?.status ?? 'not_started',
    percentComplete: progress?.percentComplete ?? 0,
    owned: title.owned,
  };
}

/**
 * Titles with their status, filtered by the store's indexed reads (status, series, owned). A page
 * reads the progress of its own titles; the whole list reads all progress once.
 */
export async function listBooks(ctx: ApiContext, query: BookQuery): Promise<Page<BookRow>> {
  const { storage, ownerId } = ctx;
  const seriesKeys = query.series === undefined ? undefined : await resolveSeriesKeys(ctx, query.series);
  if (seriesKeys && seriesKeys.length === 0) return { items: [], nextCursor: null };
  const titles = await storage.listTitles(ownerId, {
    ...(query.owned ? { owned: true } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(seriesKeys ? { seriesKeys } : {}),
    limit: query.limit,
    cursor: query.cursor,
  });
  const progress =
    query.limit === undefined
      ? new Map((await storage.listProgress(ownerId)).items.map((p) => [p.asin, p]))
      : new Map((await Promise.all(titles.items.map((t) => storage.getProgress(ownerId, t.asin)))).filter((p): p is Progress => p !== null).map((p) => [p.asin, p]));
  return { items: titles.items.map((title) => bookRow(title, progress.get(title.asin))), nextCursor: titles.nextCursor };
}
