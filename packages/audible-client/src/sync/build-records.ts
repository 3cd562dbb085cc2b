import { mapLibraryItems, type AudibleLibraryItem } from '@sagasync/audible-parser';
import { formatIssue, type InputIssue, type LibraryRecords } from '@sagasync/core';
import type { RejectedLibraryItem } from '../api/library.js';
import type { FinishedState, LastPosition } from '../api/progress.js';
import type { SeriesCatalogue } from '../api/series.js';
import { seriesOfCatalogues } from '../export/series-metadata.js';

export interface BuildRecordsInput {
  items: readonly AudibleLibraryItem[];
  catalogues: readonly SeriesCatalogue[];
  lastPositions?: ReadonlyMap<string, LastPosition>;
  finished?: ReadonlyMap<string, FinishedState>;
  /** Items `fetchLibrary` left out (they did not fit the item schema), reported as skipped. */
  rejectedItems?: readonly RejectedLibraryItem[];
  /** Country code of the marketplace, stored on every title. */
  marketplace: string;
  /** The account's credential name, stored on owned titles. */
  sourceAccount?: string | null;
}

export interface BuildRecordsResult {
  records: LibraryRecords;
  /** Items left out, with where and why (`GET /1.0/library, $[3].release_date: invalid date ...`). */
  skipped: { asin: string; reason: string }[];
  /**
   * One line per item left out (naming its ASIN) and per problem the mapper worked around with
   * the item kept.
   */
  warnings: string[];
  syntheticTitles: number;
}

/**
 * What a sync fetched -> records, by the parser's `mapLibraryItems`: the one mapping of Audible
 * library items, the one a `/1.0/library` dump is imported with. The client adds nothing of its
 * own: the catalogues go in as the series-metadata shape the export writes (a volume's `forSale`,
 * from the catalogue's `price`, becomes its title's), progress calls as the mapper's
 * `lastPositions` and `finished`. The library is not fetched with `price` (only volumes not owned
 * need it), so `pricesRequested` stays off and owned titles' `forSale` stays unknown.
 */
export function buildLibraryRecords(input: BuildRecordsInput): BuildRecordsResult {
  const owned = new Set(input.items.map((item) => item.asin));
  const mapped = mapLibraryItems(input.items, {
    file: 'GET /1.0/library',
    marketplace: input.marketplace,
    sourceAccount: input.sourceAccount ?? null,
    lastPositions: input.lastPositions,
    finished: input.finished,
    series: seriesOfCatalogues(input.catalogues, owned),
  });
  const reason = (issues: readonly InputIssue[]) => issues.map(formatIssue).join('; ');
  const skipped = [
    ...(input.rejectedItems ?? []).map((item) => ({ asin: item.asin ?? '(no ASIN)', reason: reason(item.issues) })),
    ...mapped.invalidItems.map((item) => ({ asin: item.asin ?? '(no ASIN)', reason: reason(item.issues) })),
  ];
  const warnings = [
    ...(input.rejectedItems ?? []).map((item) => `${item.asin ?? '(no ASIN)'}: library item left out (${reason(item.issues)})`),
    // The mapper names each item it left out, and each problem it worked around.
    ...(mapped.warnings ?? []).map(formatIssue),
  ];
  return { records: mapped.records, skipped, warnings, syntheticTitles: mapped.syntheticTitles };
}
