import {
  buildSeriesReport,
  loadSeriesViews,
  MissingVolumeSchema,
  resolveRuleOptions,
  SagaSyncError,
  SeriesViewSchema,
  SeriesVolumeViewSchema,
  type Page,
  type SeriesView,
} from '@sagasync/core';
import * as z from 'zod';
import type { ApiContext } from '../http/route.js';

/** A series as `series list` and `series show` print it, stable for scripts. */
export const SeriesJsonSchema = SeriesViewSchema.pick({ key: true, title: true, asin: true, status: true, ownedCount: true, finishedCount: true, nextUp: true, nextToBuy: true }).extend({
  volumes: z.array(SeriesVolumeViewSchema.pick({ asin: true, title: true, sequence: true, position: true, owned: true, status: true, releaseDate: true, upcoming: true })),
  missing: z.array(MissingVolumeSchema.pick({ sequence: true, position: true, inferred: true, asin: true, title: true, novella: true, upcoming: true })),
});
export type SeriesJson = z.infer<typeof SeriesJsonSchema>;

export function seriesJson(view: SeriesView): SeriesJson {
  return {
    key: view.key,
    title: view.title,
    asin: view.asin,
    status: view.status,
    volumes: view.volumes.map((v) => ({
      asin: v.asin,
      title: v.title,
      sequence: v.sequence,
      position: v.position,
      owned: v.owned,
      status: v.status,
      releaseDate: v.releaseDate,
      upcoming: v.upcoming,
    })),
    ownedCount: view.ownedCount,
    finishedCount: view.finishedCount,
    missing: view.missing.map((m) => ({
      sequence: m.sequence,
      position: m.position,
      inferred: m.inferred,
      asin: m.asin,
      title: m.title,
      novella: m.novella,
      upcoming: m.upcoming,
    })),
    nextUp: view.nextUp,
    nextToBuy: view.nextToBuy,
  };
}

/**
 * The series report. Whole, it is every series the titles name, sorted by title (what `series
 * list` prints). A page walks the stored series in normalised-title order and derives only its
 * own series, reading their titles through the series index.
 */
export async function seriesReport(ctx: ApiContext, page: { limit?: number; cursor?: string }): Promise<Page<SeriesJson>> {
  if (page.limit === undefined && page.cursor === undefined) return { items: (await buildSeriesReport(ctx)).map(seriesJson), nextCursor: null };
  const rows = await ctx.storage.findSeriesByName(ctx.ownerId, '', { prefix: true, limit: page.limit, cursor: page.cursor });
  const views = await loadSeriesViews(ctx, await resolveRuleOptions(ctx), new Set(rows.items.map((s) => s.key)));
  const byKey = new Map(views.map((v) => [v.key, v]));
  return { items: rows.items.flatMap((s) => (byKey.has(s.key) ? [seriesJson(byKey.get(s.key)!)] : [])), nextCursor: rows.nextCursor };
}

/**
 * The keys of the series a person means by `query`: a series key or ASIN, a series name (as
 * normalised), a name joined to a series as an alias, or the ASIN of a title in it. Indexed reads
 * only.
 */
export async function resolveSeriesKeys(ctx: ApiContext, query: string): Promise<string[]> {
  const { storage, ownerId } = ctx;
  const trimmed = query.trim();
  const keys = new Set<string>();
  const upper = trimmed.toUpperCase();
  const [byKey, byAsinKey, byName, alias, title] = await Promise.all([
    storage.getSeries(ownerId, trimmed),
    /^[A-Z0-9]{10}$/.test(upper) ? storage.getSeries(ownerId, upper) : Promise.resolve(null),
    storage.findSeriesByName(ownerId, trimmed),
    storage.getSeriesAlias(ownerId, trimmed),
    /^[A-Z0-9]{10}$/.test(upper) ? storage.getTitle(ownerId, upper) : Promise.resolve(null),
  ]);
  if (byKey) keys.add(byKey.key);
  if (byAsinKey) keys.add(byAsinKey.key);
  for (const s of byName.items) keys.add(s.key);
  if (alias) keys.add(alias.seriesKey);
  for (const m of title?.series ?? []) keys.add(m.seriesKey);
  return [...keys];
}

/** `series show`: the series `query` names, or `not_found` with the names it might have meant. */
export async function showSeries(ctx: ApiContext, query: string): Promise<{ items: SeriesJson[] }> {
  const keys = await resolveSeriesKeys(ctx, query);
  const views = keys.length === 0 ? [] : await loadSeriesViews(ctx, await resolveRuleOptions(ctx), new Set(keys));
  if (views.length > 0) return { items: views.map(seriesJson) };
  const suggestions = await suggestSeries(ctx, query);
  throw new SagaSyncError('not_found', `no series matches "${query}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}`, {
    details: { location: 'query', suggestions },
  });
}

/**
 * Up to five series whose names start like the query, or like its first significant word (with or
 * without a leading article, since series names often have one): cheap, and indexed.
 */
async function suggestSeries(ctx: ApiContext, query: string): Promise<string[]> {
  const word = query
    .trim()
    .split(/\s+/)
    .find((w) => !/^(the|a|an)$/i.test(w));
  const stem = word ? word.slice(0, Math.max(3, Math.min(word.length - 1, 6))) : '';
  const prefixes = [query.trim(), ...(stem ? [stem, `the ${stem}`, `a ${stem}`] : [])];
  for (const prefix of prefixes) {
    const found = await ctx.storage.findSeriesByName(ctx.ownerId, prefix, { prefix: true, limit: 5 });
    if (found.items.length > 0) return found.items.map((s) => s.title);
  }
  return [];
}
