import {
  buildSeriesReport,
  loadSeriesViews,
  MissingVolumeSchema,
  resolveRuleOptions,
  SagaSyncError,
  SeriesViewSchema,
  SeriesVolumeViewSchema,
  type Page,
  type Series,
  type SeriesView,
} from '@sagasync/core';
import * as z from 'zod';
import type { ApiContext } from '../http/route.js';
import { closeness, normaliseTitleText } from './names.js';

/** A series as `series list` and `series show` print it, stable for scripts. */
export const SeriesJsonSchema = SeriesViewSchema.pick({ key: true, title: true, asin: true, status: true, ownedCount: true, finishedCount: true, nextUp: true, nextToBuy: true, unavailable: true }).extend({
  volumes: z.array(
    SeriesVolumeViewSchema.pick({ asin: true, title: true, sequence: true, position: true, owned: true, status: true, releaseDate: true, upcoming: true, novella: true, percentComplete: true, forSale: true }),
  ),
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
      novella: v.novella,
      percentComplete: v.percentComplete,
      forSale: v.forSale,
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
    unavailable: view.unavailable,
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
  let keys = await resolveSeriesKeys(ctx, query);
  let near: string[] = [];
  if (keys.length === 0) ({ keys, near } = await looseSeriesKeys(ctx, query));
  const views = keys.length === 0 ? [] : await loadSeriesViews(ctx, await resolveRuleOptions(ctx), new Set(keys));
  if (views.length > 0) return { items: views.map(seriesJson) };
  const suggestions = [...new Set([...(await suggestSeries(ctx, query)), ...near])].slice(0, 5);
  throw new SagaSyncError('not_found', `no series matches "${query}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}`, {
    details: { location: 'query', suggestions },
  });
}

const ARTICLE = /^(the|a|an)\s+/i;
const ARTICLES = ['', 'the ', 'a ', 'an '];
/** Series listed by name in an ambiguity. */
const MAX_CANDIDATES = 10;

/**
 * What a person means by a name that is no series' name: the name with or without a leading
 * article (`expanse` for "The Expanse"), else the one series whose name starts with it, else the
 * one with a word starting with it (read from the series list, only then). Several are
 * `invalid_input` listing them; none gives the names closest to it for a suggestion.
 */
async function looseSeriesKeys(ctx: ApiContext, query: string): Promise<{ keys: string[]; near: string[] }> {
  const { storage, ownerId } = ctx;
  const bare = query.trim().replace(ARTICLE, '');
  if (bare === '') return { keys: [], near: [] };
  const named = (pages: Page<Series>[]) => [...new Map(pages.flatMap((p) => p.items).map((s) => [s.key, s])).values()];
  const exact = named(await Promise.all(ARTICLES.map((article) => storage.findSeriesByName(ownerId, article + bare))));
  if (exact.length > 0) return { keys: exact.map((s) => s.key), near: [] };
  const prefixed = named(await Promise.all(ARTICLES.map((article) => storage.findSeriesByName(ownerId, article + bare, { prefix: true, limit: MAX_CANDIDATES + 1 }))));
  if (prefixed.length === 1) return { keys: [prefixed[0]!.key], near: [] };
  if (prefixed.length > 1) throw ambiguousSeries(query, prefixed);

  const wanted = normaliseTitleText(bare);
  const found: Series[] = [];
  const near: { title: string; distance: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.listSeries(ownerId, { limit: 500, ...(cursor ? { cursor } : {}) });
    for (const series of page.items) {
      const name = normaliseTitleText(series.title);
      if (` ${name}`.includes(` ${wanted}`)) found.push(series);
      else if (found.length === 0) {
        const distance = Math.min(closeness(wanted, name) ?? Infinity, closeness(wanted, name.replace(/^(the|a|an) /, '')) ?? Infinity);
        if (distance !== Infinity) near.push({ title: series.title, distance });
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (found.length === 1) return { keys: [found[0]!.key], near: [] };
  if (found.length > 1) throw ambiguousSeries(query, found);
  near.sort((a, b) => a.distance - b.distance || a.title.localeCompare(b.title));
  return { keys: [], near: near.map((n) => n.title) };
}

function ambiguousSeries(query: string, series: Series[]): SagaSyncError {
  const sorted = [...series].sort((a, b) => a.title.localeCompare(b.title));
  const shown = sorted.slice(0, MAX_CANDIDATES).map((s) => `"${s.title}"`);
  const many = sorted.length > MAX_CANDIDATES;
  return new SagaSyncError('invalid_input', `"${query}" matches ${many ? `more than ${MAX_CANDIDATES}` : sorted.length} series: ${shown.join(', ')}${many ? ', …' : ''}`, {
    details: { location: 'query', reason: 'ambiguous_series', candidates: sorted.slice(0, 50).map((s) => ({ key: s.key, title: s.title })), hint: 'give more of the name, or the series ASIN' },
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
