import { AUDIBLE_CLI_HEADERS, csvCell, pythonFloat, type AudibleCliHeader, type AudibleLibraryItem as LibraryItem } from '@sagasync/audible-parser';

/** audible-cli `library export` columns, in order: the parser's list, so writer and reader agree. */
export const AUDIBLE_CLI_COLUMNS = AUDIBLE_CLI_HEADERS;
export type AudibleCliColumn = AudibleCliHeader;

const pythonBool = (value: boolean) => (value ? 'True' : 'False');

/** One row as audible-cli flattens a library item; null values become empty cells. */
export function toAudibleCliRow(item: LibraryItem): Record<AudibleCliColumn, string> {
  // audible-cli joins every contributor's name; a nameless one (`name: null`) has nothing to join.
  const joinNames = (list: LibraryItem['authors']) => (list ?? []).flatMap((c) => (c.name ? [c.name] : [])).join(', ');
  const firstSeries = item.series?.[0];
  const genres = (item.category_ladders ?? []).flatMap((l) => (l.ladder ?? []).flatMap((rung) => (rung?.name ? [rung.name] : []))).join(', ');
  const rating = item.rating?.overall_distribution;
  const isFinished = item.is_finished ?? item.listening_status?.is_finished;
  const percent = item.percent_complete ?? item.listening_status?.percent_complete;
  const display = rating?.display_average_rating;
  return {
    asin: item.asin,
    title: item.title ?? '',
    subtitle: item.subtitle ?? '',
    extended_product_description: item.extended_product_description ?? '',
    authors: joinNames(item.authors),
    narrators: joinNames(item.narrators),
    series_title: firstSeries?.title ?? '',
    series_sequence: firstSeries?.sequence == null ? '' : String(firstSeries.sequence),
    genres,
    runtime_length_min: typeof item.runtime_length_min === 'number' ? String(item.runtime_length_min) : '',
    is_finished: typeof isFinished === 'boolean' ? pythonBool(isFinished) : '',
    percent_complete: typeof percent === 'number' ? pythonFloat(percent) : '',
    rating: display === null || display === undefined ? '-' : String(display),
    num_ratings: typeof rating?.num_ratings === 'number' ? String(rating.num_ratings) : '-',
    date_added: item.library_status?.date_added ?? '',
    release_date: item.release_date ?? '',
    cover_url: item.product_images?.['500'] ?? '-',
    purchase_date: item.purchase_date ?? '',
  };
}

/**
 * The library as audible-cli's `library export --format csv` (or `tsv`) writes it: header row,
 * rows sorted by ASIN, CRLF line ends, UTF-8 without BOM. `sagasync import` reads it back.
 */
export function writeAudibleCliLibrary(items: readonly LibraryItem[], options: { format?: 'csv' | 'tsv' } = {}): string {
  const delimiter = options.format === 'tsv' ? '\t' : ',';
  const rows = [...items].sort((a, b) => (a.asin < b.asin ? -1 : a.asin > b.asin ? 1 : 0)).map(toAudibleCliRow);
  const lines = [AUDIBLE_CLI_COLUMNS.join(delimiter)];
  for (const row of rows) lines.push(AUDIBLE_CLI_COLUMNS.map((column) => csvCell(row[column], delimiter)).join(delimiter));
  return lines.map((line) => `${line}\r\n`).join('');
}
