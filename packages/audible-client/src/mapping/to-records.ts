import { AsinSchema, readSequence, seriesKeyFor, type LibraryRecords, type ProgressReport, type SeriesMembership, type SeriesRecord, type TitleRecord } from '@sagasync/core';
import type { FinishedState, LastPosition } from '../api/progress.js';
import type { LibraryItem } from '../api/schemas.js';
import { coverUrlOf, isPodcastProduct, type SeriesCatalogue } from '../api/series.js';
import { normaliseDate, normaliseTimestamp } from '../api/timestamps.js';

export interface BuildRecordsInput {
  items: readonly LibraryItem[];
  catalogues: readonly SeriesCatalogue[];
  lastPositions?: ReadonlyMap<string, LastPosition>;
  finished?: ReadonlyMap<string, FinishedState>;
  /** Country code of the marketplace, stored on every title. */
  marketplace: string;
  /** The account's credential name, stored on owned titles. */
  sourceAccount?: string | null;
}

export interface BuildRecordsResult {
  records: LibraryRecords;
  /** Items left out, with why (bad ASIN, returned title). */
  skipped: { asin: string; reason: string }[];
  syntheticTitles: number;
}

const isAsin = (value: string | null | undefined): value is string => typeof value === 'string' && AsinSchema.safeParse(value).success;
const names = (list: LibraryItem['authors']) => (list ?? []).map((c) => c.name.trim()).filter(Boolean);

function membership(seriesAsin: string | null | undefined, seriesTitle: string | null | undefined, sequence: string | null | undefined): SeriesMembership | null {
  const asin = isAsin(seriesAsin) ? seriesAsin : null;
  const title = seriesTitle?.trim() || asin;
  if (!title) return null;
  return { seriesKey: seriesKeyFor(asin, title), seriesAsin: asin, seriesTitle: title, ...readSequence(sequence) };
}

function addMembership(list: SeriesMembership[], m: SeriesMembership | null): void {
  if (m && !list.some((existing) => existing.seriesKey === m.seriesKey)) list.push(m);
}

const clampPercent = (value: number) => Math.min(100, Math.max(0, Math.round(value * 100) / 100));

/**
 * Library items, series catalogues and progress -> the records every source produces. Every
 * series of every title is kept (not only the first, as audible-cli's export does); volumes of a
 * series that are not owned become synthetic titles (`owned: false`) with their release dates,
 * so missing and upcoming volumes are known.
 */
export function buildLibraryRecords(input: BuildRecordsInput): BuildRecordsResult {
  const skipped: BuildRecordsResult['skipped'] = [];
  const catalogueByAsin = new Map(input.catalogues.map((c) => [c.asin, c]));
  const titles = new Map<string, TitleRecord>();
  const progress: ProgressReport[] = [];
  const seriesRecords = new Map<string, SeriesRecord>();

  for (const item of input.items) {
    if (!isAsin(item.asin)) {
      skipped.push({ asin: item.asin, reason: 'not a valid ASIN' });
      continue;
    }
    // Returned or refunded titles come back with status Revoked; they are not in the library.
    if (item.status && item.status !== 'Active') {
      skipped.push({ asin: item.asin, reason: `status ${item.status}` });
      continue;
    }
    const series: SeriesMembership[] = [];
    for (const ref of item.series ?? []) addMembership(series, membership(ref.asin, ref.title, ref.sequence));
    for (const rel of item.relationships ?? []) {
      if (rel.relationship_type !== 'series' || rel.relationship_to_product !== 'parent') continue;
      const catalogue = catalogueByAsin.get(rel.asin);
      if (catalogue) addMembership(series, membership(rel.asin, catalogue.title, rel.sequence));
    }
    titles.set(item.asin, {
      asin: item.asin,
      title: item.title?.trim() || item.asin,
      subtitle: item.subtitle ?? null,
      authors: names(item.authors),
      narrators: names(item.narrators),
      runtimeMinutes: typeof item.runtime_length_min === 'number' ? Math.max(0, Math.round(item.runtime_length_min)) : null,
      releaseDate: normaliseDate(item.release_date),
      purchaseDate: normaliseTimestamp(item.purchase_date ?? item.library_status?.date_added),
      coverUrl: coverUrlOf(item),
      language: item.language ?? null,
      marketplace: input.marketplace,
      sourceAccount: input.sourceAccount ?? null,
      owned: true,
      isPodcast: isPodcastProduct(item),
      series,
    });
    const report = progressFor(item, input.lastPositions?.get(item.asin), input.finished?.get(item.asin));
    if (report) progress.push(report);
  }

  let syntheticTitles = 0;
  for (const catalogue of [...input.catalogues].sort((a, b) => a.asin.localeCompare(b.asin))) {
    if (!isAsin(catalogue.asin)) continue;
    const seriesMembership = (sequence: string) => membership(catalogue.asin, catalogue.title, sequence);
    seriesRecords.set(catalogue.asin, { key: seriesKeyFor(catalogue.asin, catalogue.title), asin: catalogue.asin, title: catalogue.title, catalogueComplete: catalogue.complete });
    for (const volume of catalogue.volumes) {
      if (!isAsin(volume.asin)) continue;
      const existing = titles.get(volume.asin);
      if (existing) {
        addMembership(existing.series, seriesMembership(volume.sequence));
        continue;
      }
      syntheticTitles++;
      titles.set(volume.asin, {
        asin: volume.asin,
        title: volume.title,
        subtitle: volume.subtitle,
        authors: volume.authors,
        narrators: volume.narrators,
        runtimeMinutes: volume.runtimeMinutes,
        releaseDate: normaliseDate(volume.releaseDate),
        coverUrl: volume.coverUrl,
        language: volume.language,
        marketplace: input.marketplace,
        owned: false,
        isPodcast: volume.isPodcast,
        series: [seriesMembership(volume.sequence)!],
      });
    }
  }
  // Series a title names but whose catalogue was not fetched: known, but not known to be complete.
  const knownKeys = new Set([...seriesRecords.values()].map((s) => s.key));
  for (const title of titles.values()) {
    for (const m of title.series) {
      if (knownKeys.has(m.seriesKey)) continue;
      knownKeys.add(m.seriesKey);
      seriesRecords.set(m.seriesKey, { key: m.seriesKey, asin: m.seriesAsin, title: m.seriesTitle, catalogueComplete: false });
    }
  }

  const byAsin = <T extends { asin: string }>(a: T, b: T) => a.asin.localeCompare(b.asin);
  return {
    records: {
      titles: [...titles.values()].sort(byAsin),
      series: [...seriesRecords.values()].sort((a, b) => a.key.localeCompare(b.key)),
      progress: progress.sort(byAsin),
    },
    skipped,
    syntheticTitles,
  };
}

function progressFor(item: LibraryItem, position: LastPosition | undefined, finishedEvent: FinishedState | undefined): ProgressReport | null {
  const status = item.listening_status;
  const percent = status?.percent_complete ?? item.percent_complete;
  let isFinished = status?.is_finished ?? item.is_finished ?? null;
  if (isFinished === null && finishedEvent) isFinished = finishedEvent.finished;
  const report: ProgressReport = { asin: item.asin };
  if (typeof percent === 'number' && Number.isFinite(percent)) report.percentComplete = clampPercent(percent);
  if (isFinished !== null) report.isFinished = isFinished;
  if (isFinished) {
    // listening_status keeps an earlier finish on unfinished titles too; only a finished title's counts.
    const at = normaliseTimestamp(status?.finished_at_timestamp) ?? (finishedEvent?.finished ? finishedEvent.at : null);
    if (at) report.finishedAt = at;
  }
  if (position) report.lastPositionMs = position.positionMs;
  return Object.keys(report).length > 1 ? report : null;
}
