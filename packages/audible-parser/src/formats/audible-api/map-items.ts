import { err, ok, seriesKeyFor } from '@sagasync/core';
import type { InputIssue, LibraryRecords, ProgressReport, Result, TitleRecord } from '@sagasync/core';
import { formatPath, zodIssues } from '../../json/json-path.js';
import { RecordsBuilder } from '../../records/records-builder.js';
import { isAsin, parseAsin } from '../../values/asin.js';
import { parseCalendarDate } from '../../values/dates.js';
import { parseMinutes } from '../../values/numbers.js';
import { displayValue } from '../../values/parsed.js';
import type { SeriesMetadataSeries } from '../series-metadata/schema.js';
import { isVolumeProblem, volumeTitle } from '../series-metadata/volume-title.js';
import { mapAudibleApiItem, type ItemContext, type ItemFinishedEvent, type ItemLastPosition } from './map-item.js';
import { contributorNames, coverUrlOf, forSaleOf, podcastFlag } from './product-values.js';
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
  /**
   * The items were fetched with the `price` response group: an item without `price` is then not for
   * sale (`forSale: false`). Without it, only an item's own `price` key tells (see `forSaleOf`).
   */
  pricesRequested?: boolean;
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
  /**
   * What a person should hear about, in item order: one per item left out, naming it by ASIN (or by
   * index when it has none) with its reasons (`left out Audible item B0XXXXXXXX: title: missing
   * title`), and each problem worked around with the item kept (a finish time that cannot be read:
   * the progress is kept without it; authors that are all credited with a role).
   */
  warnings: InputIssue[];
  invalidItems: InvalidLibraryItem[];
  /** Titles made from series volumes not among the items (not owned). */
  syntheticTitles: number;
  podcasts: number;
  /** Revoked (returned) items, kept as titles not owned. */
  revoked: number;
}

/** What became of one library item. */
export interface LibraryItemOutcome {
  mapped: { title: TitleRecord; progress: ProgressReport | null } | null;
  /** Why it was left out, each at its path; empty when mapped. */
  issues: InputIssue[];
  /** Its warnings (see `MappedLibraryItems.warnings`), the one saying it was left out included. */
  warnings: InputIssue[];
}

/** `Audible item B0XXXXXXXX`, or by index when the item has no ASIN to name it by. */
function itemLabel(asin: unknown, index: number): string {
  const text = typeof asin === 'string' ? asin.trim() : '';
  return text !== '' ? `Audible item ${text}` : `the Audible item at index ${index} (it has no ASIN)`;
}

/** The warning that an item was left out: named, located at the item, with its reasons. */
export function leftOutItemWarning(file: string, path: string, asin: unknown, index: number, issues: readonly InputIssue[]): InputIssue {
  const reasons = issues.map((issue) => {
    const field = issue.path !== undefined && issue.path.startsWith(`${path}.`) ? `${issue.path.slice(path.length + 1)}: ` : '';
    return `${field}${issue.message}`;
  });
  return { file, path, message: `left out ${itemLabel(asin, index)}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}` };
}

/**
 * One library item (checked with `AudibleLibraryItemSchema`) -> its title and progress, or left
 * out: the per-item step of `mapLibraryItems`, which a `/1.0/library` dump is read with too. One
 * item never stops the others: even an unexpected error leaves out that item alone.
 */
export function mapLibraryItemAt(item: AudibleLibraryItem, index: number, where: { file: string; path: string }, builder: RecordsBuilder, context: ItemContext = {}): LibraryItemOutcome {
  const { file, path } = where;
  const issues: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  const at = (relative: string | null) => (relative === null ? path : `${path}.${relative}`);
  let mapped: LibraryItemOutcome['mapped'] = null;
  try {
    mapped = mapAudibleApiItem(
      item,
      builder,
      (relative, value, message) => issues.push({ file, path: at(relative), value: displayValue(value), message }),
      context,
      (relative, value, message) => warnings.push({ file, path: at(relative), value: displayValue(value), message: `${itemLabel(item.asin, index)}: ${message}` }),
    );
  } catch (error) {
    issues.push({ file, path, message: `could not be read: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (mapped === null) {
    if (issues.length === 0) issues.push({ file, path, message: 'could not be read' });
    warnings.push(leftOutItemWarning(file, path, item.asin, index, issues));
  }
  return { mapped, issues, warnings };
}

/**
 * Audible library items (already checked with `AudibleLibraryItemSchema`) -> SagaSync records. The
 * one mapping of Audible library items: a raw `/1.0/library` dump (`parseExportFile`) and a live
 * sync (`@sagasync/audible-client`) both go through it, so the same library gives the same
 * records whatever path it came by. An item with a bad value (a title-less one included) is left
 * out, reported at its path and named in `warnings`; the others are kept. Nothing throws.
 */
export function mapLibraryItems(items: readonly AudibleLibraryItem[], options: MapLibraryItemsOptions = {}): MappedLibraryItems {
  const file = options.file ?? DEFAULT_FILE;
  const itemPath = options.itemPath ?? ((index: number) => `$[${index}]`);
  const builder = new RecordsBuilder();
  const issues: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  const invalidItems: InvalidLibraryItem[] = [];
  const leftOut = new Set<string>();
  const seriesTitles = new Map<string, string>();
  for (const series of options.series ?? []) if (series.asin !== null) seriesTitles.set(series.asin, series.title);
  const context: ItemContext = {
    marketplace: options.marketplace,
    sourceAccount: options.sourceAccount,
    lastPositions: options.lastPositions,
    finished: options.finished,
    seriesTitles,
    pricesRequested: options.pricesRequested,
  };
  let podcasts = 0;
  let revoked = 0;

  items.forEach((item, index) => {
    const path = itemPath(index);
    const { mapped, issues: found, warnings: itemWarnings } = mapLibraryItemAt(item, index, { file, path }, builder, context);
    warnings.push(...itemWarnings);
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
  return { records, issues, warnings, invalidItems, syntheticTitles, podcasts, revoked };
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
  /**
   * Whether Audible sells the volume in the marketplace (`forSaleOf`): absent when the product
   * carries no price information and prices were not asked for.
   */
  forSale?: boolean;
}

/**
 * A catalogue product at its place in a series (a `series` child relationship of the series
 * parent) -> the volume, read by the same rules as a library item. A catalogue summary has nobody
 * to report to, so a value that cannot be read is left unknown (null). Authors are the names as
 * Audible gives them (`X - translator` included); roles are split off when the volume becomes a
 * title. With `pricesRequested` (the product was fetched with the `price` response group), a
 * product without a price is a volume Audible does not sell there (`forSale: false`).
 */
export function seriesVolumeOf(product: AudibleProduct, place: { sequence: string; sort: string | null }, options: { pricesRequested?: boolean } = {}): AudibleSeriesVolume {
  const release = parseCalendarDate(product.release_date);
  const runtime = parseMinutes(product.runtime_length_min);
  const forSale = forSaleOf(product, options.pricesRequested);
  const volume: AudibleSeriesVolume = {
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
  if (forSale !== undefined) volume.forSale = forSale;
  return volume;
}
