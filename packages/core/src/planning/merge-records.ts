import type { SeriesRecord } from '../model/series.js';
import type { Contributor, SeriesMembership, Title, TitleRecord } from '../model/title.js';
import type { TitleData } from '../ports/storage.port.js';
import { samePosition } from './equality.js';

/**
 * Memberships merge by series key: an incoming membership replaces the one with the same key in
 * place, new keys are appended in incoming order, and memberships the source does not mention are
 * kept (a source that lists only the first series must not drop the others). When both place the
 * title at the same parsed position, the known membership stays as it is: two sources that spell
 * it differently (`Book 4` in an export, `4` in the catalogue) must not flip it on every import.
 * A source that gives no position does not know it: a known position stays.
 */
export function mergeMemberships(base: readonly SeriesMembership[], incoming: readonly SeriesMembership[]): SeriesMembership[] {
  // Arrays are shared, never mutated: copying 100,000 of them would only feed the collector.
  if (incoming.length === 0) return base as SeriesMembership[];
  if (base.length === 0 && incoming.length === 1) return incoming as SeriesMembership[];
  const out = base.slice();
  for (const m of incoming) {
    const i = out.findIndex((x) => x.seriesKey === m.seriesKey);
    if (i < 0) out.push(m);
    else if (out[i]!.position.kind !== 'none' && (m.position.kind === 'none' || samePosition(out[i]!.position, m.position))) continue;
    else out[i] = m;
  }
  return out;
}

const pick = <T>(incoming: T | null | undefined, known: T | null | undefined): T | null | undefined =>
  incoming === undefined || incoming === null ? known : incoming;
const names = (incoming: readonly string[], known: readonly string[] | undefined): string[] =>
  (incoming.length > 0 || known === undefined ? incoming : known) as string[];

/**
 * Folds a later record for the same ASIN into an earlier one: later known values win, unknown
 * (undefined or null) values and empty name lists leave the earlier ones, `owned` is sticky.
 */
export function mergeTitleRecords(a: TitleRecord, b: TitleRecord): TitleRecord {
  const merged: TitleRecord = {
    asin: a.asin,
    title: b.title,
    authors: names(b.authors, a.authors),
    narrators: names(b.narrators, a.narrators),
    owned: a.owned || b.owned,
    series: mergeMemberships(a.series, b.series),
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = pick(b[field], a[field]);
    if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
  }
  const isPodcast = b.isPodcast ?? a.isPodcast;
  if (isPodcast !== undefined) merged.isPodcast = isPodcast;
  const contributors = b.contributors ?? a.contributors;
  if (contributors !== undefined) merged.contributors = contributors;
  const forSale = pick(b.forSale, a.forSale);
  if (forSale !== undefined) merged.forSale = forSale;
  return merged;
}

const OPTIONAL_FIELDS = ['subtitle', 'runtimeMinutes', 'releaseDate', 'purchaseDate', 'coverUrl', 'language', 'marketplace', 'sourceAccount'] as const;

/** Shared by every title without credited contributors: 100,000 empty arrays are 3 MB. */
const NO_CONTRIBUTORS: Contributor[] = Object.freeze([]) as unknown as Contributor[];

/**
 * The stored title a record leads to. What the record does not know keeps the stored value; a
 * title never becomes synthetic again once owned. Timestamps are the caller's business.
 */
export function titleDataFrom(record: TitleRecord, stored: Title | undefined, now: string): TitleData {
  return {
    asin: record.asin,
    title: record.title,
    subtitle: pick(record.subtitle, stored?.subtitle) ?? null,
    authors: names(record.authors, stored?.authors),
    narrators: names(record.narrators, stored?.narrators),
    runtimeMinutes: pick(record.runtimeMinutes, stored?.runtimeMinutes) ?? null,
    releaseDate: pick(record.releaseDate, stored?.releaseDate) ?? null,
    purchaseDate: pick(record.purchaseDate, stored?.purchaseDate) ?? null,
    coverUrl: pick(record.coverUrl, stored?.coverUrl) ?? null,
    language: pick(record.language, stored?.language) ?? null,
    marketplace: pick(record.marketplace, stored?.marketplace) ?? null,
    sourceAccount: pick(record.sourceAccount, stored?.sourceAccount) ?? null,
    owned: record.owned || (stored?.owned ?? false),
    isPodcast: record.isPodcast ?? stored?.isPodcast ?? false,
    contributors: record.contributors ?? stored?.contributors ?? NO_CONTRIBUTORS,
    forSale: pick(record.forSale, stored?.forSale) ?? null,
    series: mergeMemberships(stored?.series ?? [], record.series),
    createdAt: stored?.createdAt ?? now,
    updatedAt: stored?.updatedAt ?? now,
  };
}

/** Later series records win on title and a known ASIN; a complete catalogue stays complete. */
export function mergeSeriesRecords(a: SeriesRecord, b: SeriesRecord): SeriesRecord {
  return { key: a.key, title: b.title, asin: b.asin ?? a.asin, catalogueComplete: a.catalogueComplete || b.catalogueComplete };
}
