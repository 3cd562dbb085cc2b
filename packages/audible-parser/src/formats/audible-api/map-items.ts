import { err, ok, seriesKeyFor } from '@sagasync/core';
import type { InputIssue, LibraryRecords, Result } from '@sagasync/core';
import { formatPath, zodIssues } from '../../json/json-path.js';
import { RecordsBuilder } from '../../records/records-builder.js';
import { isAsin, parseAsin } from '../../values/asin.js';
import { parseCalendarDate } from '../../values/dates.js';
import { parseMinutes } from '../../values/numbers.js';
import { displayValue } from '../../values/parsed.js';
import type { SeriesMetadataSeries } from '../series-metadata/schema.js';
import { isVolumeProblem, volumeTitle } from '../series-metadata/volume-title.js';
import { mapAudibleApiItem, type ItemFinishedEvent, type ItemLastPosition } from './map-item.js';
import { contributorNames, coverUrlOf, podcastFlag } from './product-values.js';
import { AudibleLibraryItemSchema, type AudibleLibraryItem, type AudibleProduct } from './schema.js';

export type { ItemFinishedEvent, ItemLastPosition } from './map-item.js';

const DEFAULT_FILE = 'Audible library';

/** Where an item is, for its issues: `{ file: 'library.json', path: '$.items[3]' }`. */
export interface ItemLocation {
  /** File name, or a label of the source (`GET /1.0/library`). */
  file?: string;
  /** JSON path of the item. Default `$`. */
  path?: string;
}

/**
 * Checks one raw library item against `AudibleLibraryItemSchema`. Nothing but a wrong JSON type
 * fails here (every field but `asin` may be missing or null); values are checked by
 * `mapLibraryItems`. Issues are located at `where`.
 */
export function parseLibraryItem(raw: unknown, where: ItemLocation = {}): Result<AudibleLibraryItem, InputIssue[]> {
  const parsed = AudibleLibraryItemSchema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  return err(zodIssues(parsed.error, raw, where.path ?? '$', where.file ?? DEFAULT_FILE));
}

export interface MapLibraryItemsOptions {
  /** Names the source in issues: a file name, or `GET /1.0/library`. Default `Audible library`. */
  file?: string;
  /** JSON path of item `index`, for issues. Default `$[index]`. */
  itemPath?: (index: number) => string;
  /** Country code of the marketplace (`us`), stored on every title. Absent: unknown. */
  marketplace?: string | null;
  /** The account the library belongs to, stored on owned titles. Absent: unknown. */
  sourceAccount?: string | null;
  /** Last heard positions by ASIN (`/1.0/annotations/lastpositions`). */
  lastPositions?: ReadonlyMap<string, ItemLastPosition>;
  /** Latest mark-as-finished events by ASIN (`/1.0/stats/status/finished`). */
  finished?: ReadonlyMap<string, ItemFinishedEvent>;
  /**
   * Every volume of each series, owned or not (Audible's series catalogue, in the series-metadata
   * file's shape). Each series becomes a `SeriesRecord` (catalogue-complete unless `complete:
   * false`); an owned title gains its membership; a volume not among the items becomes a title
   * owned as the volume says (`owned: false`: a missing or upcoming volume).
   */
  series?: readonly SeriesMetadataSeries[];
}

/** An item left out, with why. */
export interface InvalidLibraryItem {
  /** Index in the items given. */
  index: number;
  /** The ASIN as given, when it is text. */
  asin: string | null;
  /** JSON path of the item (`itemPath(index)`). */
  path: string;
  issues: InputIssue[];
}

export interface MappedLibraryItems {
  /** Titles sorted by ASIN, series by key, progress by ASIN. */
  records: LibraryRecords;
  /** Every problem, located (file, JSON path, value): of the items left out, then of volumes left out. */
  issues: InputIssue[];
  invalidItems: InvalidLibraryItem[];
  /** Titles made from series volumes not among the items (not owned). */
  syntheticTitles: number;
  podcasts: number;
  /** Revoked (returned) items, kept as titles not owned. */
  revoked: number;
}

/**
 * Audible library items (already checked with `AudibleLibraryItemSchema`) -> SagaSync records. The
 * one mapping of Audible library items: a raw `/1.0/library` dump (`parseExportFile`) and a live
 * sync (`@sagasync/audible-client`) both go through it, so the same library gives the same
 * records whatever path it came by. An item with a bad value is left out and reported at its
 * path; the others are kept. Nothing throws.
 */
export function mapLibraryItems(items: readonly AudibleLibraryItem[], options: MapLibraryItemsOptions = {}): MappedLibraryItems {
  const file = options.file ?? DEFAULT_FILE;
  const itemPath = options.itemPath ?? ((index: number) => `$[${index}]`);
  const builder = new RecordsBuilder();
  const issues: InputIssue[] = [];
  const invalidItems: InvalidLibraryItem[] = [];
  const leftOut = new Set<string>();
  const seriesTitles = new Map<string, string>();
  for (const series of options.series ?? []) if (series.asin !== null) seriesTitles.set(series.asin, series.title);
  const context = {
    marketplace: options.marketplace,
    sourceAccount: options.sourceAccount,
    lastPositions: options.lastPositions,
    finished: options.finished,
    seriesTitles,
  };
  let podcasts = 0;
  let revoked = 0;

  items.forEach((item, index) => {
    const path = itemPath(index);
    const found: InputIssue[] = [];
    const mapped = mapAudibleApiItem(
      item,
      builder,
      (relative, value, message) => found.push({ file, path: `${path}.${relative}`, value: displayValue(value), message }),
      context,
    );
    if (mapped === null) {
      const asin = typeof item.asin === 'string' ? item.asin : null;
      invalidItems.push({ index, asin, path, issues: found });
      issues.push(...found);
      // An owned title that could not be read is not a missing volume.
      const readable = parseAsin(item.asin);
      if (typeof readable === 'string') leftOut.add(readable);
      return;
    }
    if (mapped.title.isPodcast) podcasts++;
    if (!mapped.title.owned) revoked++;
    builder.addTitle(mapped.title, mapped.progress);
  });

  let syntheticTitles = 0;
  (options.series ?? []).forEach((series, s) => {
    const seriesPath = `series[${s}]`;
    if (series.asin !== null && !isAsin(series.asin)) {
      issues.push({ file, path: `${seriesPath}.asin`, value: displayValue(series.asin), message: 'not an ASIN: expected 10 letters or digits' });
      return;
    }
    builder.addSeries({ key: seriesKeyFor(series.asin, series.title), asin: series.asin, title: series.title, catalogueComplete: series.complete ?? true });
    series.volumes.forEach((volume, v) => {
      const volumePath = `${seriesPath}.volumes[${v}]`;
      if (!isAsin(volume.asin)) {
        issues.push({ file, path: `${volumePath}.asin`, value: displayValue(volume.asin), message: 'not an ASIN: expected 10 letters or digits' });
        return;
      }
      if (leftOut.has(volume.asin)) return;
      const title = volumeTitle(volume, series, builder, options.marketplace);
      if (isVolumeProblem(title)) {
        issues.push({ file, path: formatPath(volumePath, [title.field]), value: displayValue(title.value), message: title.message });
        return;
      }
      const before = builder.titleCount;
      builder.addTitle(title);
      if (builder.titleCount > before && !title.owned) syntheticTitles++;
    });
  });

  const records = builder.build();
  const byAsin = <T extends { asin: string }>(a: T, b: T) => (a.asin < b.asin ? -1 : a.asin > b.asin ? 1 : 0);
  records.titles.sort(byAsin);
  records.progress.sort(byAsin);
  records.series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { records, issues, invalidItems, syntheticTitles, podcasts, revoked };
}

/** One volume of a series as Audible's catalogue lists it, owned or not. */
export interface AudibleSeriesVolume {
  asin: string;
  title: string;
  subtitle: string | null;
  /** Raw sequence text (`"2.5"`, `"1-3"`, `""`). */
  sequence: string;
  /** Audible's display order inside the series. */
  sort: string | null;
  authors: string[];
  narrators: string[];
  /** `YYYY-MM-DD`, or null when absent or unreadable. */
  releaseDate: string | null;
  runtimeMinutes: number | null;
  coverUrl: string | null;
  language: string | null;
  isPodcast: boolean;
}

/**
 * A catalogue product at its place in a series (a `series` child relationship of the series
 * parent) -> the volume, read by the same rules as a library item. A catalogue summary has nobody
 * to report to, so a value that cannot be read is left unknown (null).
 */
export function seriesVolumeOf(product: AudibleProduct, place: { sequence: string; sort: string | null }): AudibleSeriesVolume {
  const release = parseCalendarDate(product.release_date);
  const runtime = parseMinutes(product.runtime_length_min);
  return {
    asin: product.asin,
    // A volume needs a name to be listed; the ASIN stands in for a product sent without a title.
    title: product.title?.trim() || product.asin,
    subtitle: product.subtitle?.trim() || null,
    sequence: place.sequence,
    sort: place.sort,
    authors: contributorNames(product.authors),
    narrators: contributorNames(product.narrators),
    releaseDate: typeof release === 'string' ? release : null,
    runtimeMinutes: typeof runtime === 'number' ? runtime : null,
    coverUrl: coverUrlOf(product),
    language: product.language?.trim() || null,
    isPodcast: podcastFlag(product) ?? false,
  };
}
