import type { Progress, Title } from '@sagasync/core';
import { AUDIBLE_CLI_COLUMNS } from '../formats/audible-cli/columns.js';
import { joinCredits } from '../values/credits.js';
import { csvCell } from './csv-cell.js';

/** audible-cli `library export` headers, in its order (18 columns). */
export const AUDIBLE_CLI_HEADERS = AUDIBLE_CLI_COLUMNS.map((c) => c.headers[0]);
export type AudibleCliHeader = (typeof AUDIBLE_CLI_HEADERS)[number];
const HEADERS = AUDIBLE_CLI_HEADERS;
type Header = AudibleCliHeader;

/** Python's float repr, as audible-cli writes percent_complete: `0.0`, `37.5`, `100.0`. */
export const pythonFloat = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));

/**
 * The titles as an audible-cli `library export` file (18 columns, CRLF, rows sorted by ASIN), so
 * any tool that reads audible-cli exports reads it. Like audible-cli, it carries only the first
 * series of each title; the series-metadata file carries the rest. No finish time and no
 * for-sale flag: audible-cli has no column for them.
 */
export function writeAudibleCliLibrary(titles: readonly Title[], progress: ReadonlyMap<string, Progress>, options: { format?: 'csv' | 'tsv' } = {}): string {
  const delimiter = options.format === 'tsv' ? '\t' : ',';
  const lines = [HEADERS.join(delimiter)];
  for (const title of [...titles].sort((a, b) => (a.asin < b.asin ? -1 : a.asin > b.asin ? 1 : 0))) {
    const p = progress.get(title.asin);
    const first = title.series[0];
    const row: Record<Header, string> = {
      asin: title.asin,
      title: title.title,
      subtitle: title.subtitle ?? '',
      extended_product_description: '',
      // Contributors as Audible credits them, among the authors (`X - translator`), as audible-cli does.
      authors: joinCredits(title.authors, title.contributors).join(', '),
      narrators: title.narrators.join(', '),
      series_title: first?.seriesTitle ?? '',
      series_sequence: first?.sequence ?? '',
      genres: '',
      runtime_length_min: title.runtimeMinutes === null ? '' : String(title.runtimeMinutes),
      is_finished: p ? (p.isFinished ? 'True' : 'False') : '',
      percent_complete: p ? pythonFloat(p.percentComplete) : '',
      rating: '-',
      num_ratings: '-',
      date_added: title.purchaseDate ?? '',
      release_date: title.releaseDate ?? '',
      cover_url: title.coverUrl ?? '-',
      purchase_date: title.purchaseDate ?? '',
    };
    lines.push(HEADERS.map((h) => csvCell(row[h], delimiter)).join(delimiter));
  }
  return lines.join('\r\n') + '\r\n';
}
