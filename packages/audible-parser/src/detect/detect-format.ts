import type { ExportFormat } from '../export-format.js';
import { normaliseHeader } from '../tabular/columns.js';
import { quoteText } from '../values/quote.js';

export interface Detection {
  format: ExportFormat;
  /** Why, for the notes: "header has asin and series_title". */
  reason: string;
}

export type DetectionFailure = { hint: string };

const WISHLIST_NAME = /wish/i;

/**
 * Recognises a delimited export by its header names (never their order):
 * audible-cli (`asin` with its snake_case columns), Libation (`Audible Product Id`), OpenAudible
 * (`ASIN` with `Narrated By`, `Product ID` or `Series Name`). audible-cli's 16-column library
 * layout (before mid 2022) has the same header as a wishlist export: it is a wishlist when the file
 * name says so or when the first row has no finished flag and no percent (library exports always
 * fill `is_finished`).
 */
export function detectDelimited(headers: readonly string[], firstRow: readonly string[] | null, delimiter: string, fileName: string): Detection | DetectionFailure {
  const names = headers.map(normaliseHeader);
  const has = (name: string) => names.includes(name);
  if (has('audible product id')) return { format: 'libation-csv', reason: 'its header has "Audible Product Id"' };
  if (countOf(names, LIBATION_HEADERS) >= 3) return { format: 'libation-csv', reason: 'its header has Libation\'s column names' };
  // audible-cli's snake_case names; two of them suffice, so a file missing `asin` is still
  // recognised and told which column it lacks.
  if (countOf(names, AUDIBLE_CLI_HEADERS) >= 2) {
    const layout = has('purchase_date') || has('extended_product_description') ? 'current' : 'short';
    if (layout === 'short') {
      const finished = names.indexOf('is_finished');
      const percent = names.indexOf('percent_complete');
      const noProgress = firstRow !== null && finished !== -1 && (firstRow[finished] ?? '').trim() === '' && (percent === -1 || (firstRow[percent] ?? '').trim() === '');
      if (WISHLIST_NAME.test(baseName(fileName)) || noProgress) {
        return { format: 'audible-cli-wishlist', reason: 'its header is audible-cli\'s 16-column layout and ' + (noProgress ? 'rows carry no progress' : 'the file name says wishlist') };
      }
    }
    return {
      format: delimiter === '\t' ? 'audible-cli-tsv' : 'audible-cli-csv',
      reason: layout === 'current' ? 'its header has asin and audible-cli\'s snake_case columns' : 'its header is audible-cli\'s 16-column layout (a library export from before mid 2022)',
    };
  }
  if (has('asin') && (has('narrated by') || has('product id') || has('series name'))) {
    return { format: 'openaudible-csv', reason: 'its header has ASIN and OpenAudible\'s columns' };
  }
  if (has('book id') && has('exclusive shelf')) return { hint: 'it looks like a Goodreads library export, which is a tracker file, not an Audible export' };
  if (has('isbn/uid') && has('read status')) return { hint: 'it looks like a StoryGraph export, which is a tracker file, not an Audible export' };
  return { hint: `its header (${headers.slice(0, 6).map((h) => quoteText(h.trim(), 60)).join(', ')}${headers.length > 6 ? ', …' : ''}) matches none of them` };
}

const AUDIBLE_CLI_HEADERS = ['series_title', 'series_sequence', 'runtime_length_min', 'is_finished', 'percent_complete', 'extended_product_description', 'num_ratings', 'date_added', 'release_date', 'cover_url', 'purchase_date'];
const LIBATION_HEADERS = ['date added to library', 'length in minutes', 'series names', 'series order', 'book liberated status', 'content type', 'my libation tags'];

function countOf(names: readonly string[], wanted: readonly string[]): number {
  return wanted.filter((w) => names.includes(w)).length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const hasKey = (o: Record<string, unknown>, key: string) => Object.hasOwn(o, key);

/** Recognises a JSON export by its shape: the envelope, then the keys of the first objects. */
export function detectJson(root: unknown, fileName: string): Detection | DetectionFailure {
  if (isRecord(root)) {
    if (root['format'] === 'sagasync-series-metadata') return { format: 'sagasync-series-metadata', reason: 'its "format" is sagasync-series-metadata' };
    if (root['format'] === 'sagasync-library') return { format: 'sagasync-library', reason: 'its "format" is sagasync-library' };
    if (Array.isArray(root['items']) || isRecord(root['item'])) return { format: 'audible-api-json', reason: 'it is an object with "items", as Audible\'s /1.0/library answers' };
    return { hint: 'it is a JSON object without "items" or "format"' };
  }
  if (!Array.isArray(root)) return { hint: 'it is a JSON value that is neither an array nor an object' };
  const sample = root.slice(0, 20).filter(isRecord);
  if (sample.length === 0) return { hint: root.length === 0 ? 'it is an empty JSON array' : 'its JSON array holds no objects' };
  if (sample.some((o) => hasKey(o, 'AudibleProductId'))) return { format: 'libation-json', reason: 'its objects have "AudibleProductId"' };
  const withAsin = sample.filter((o) => hasKey(o, 'asin'));
  if (withAsin.length === 0) return { hint: 'its objects have no "asin" or "AudibleProductId"' };
  if (withAsin.some((o) => Array.isArray(o['series']) || Array.isArray(o['authors']) || isRecord(o['library_status']) || isRecord(o['listening_status']))) {
    return { format: 'audible-api-json', reason: 'its objects have Audible API fields (authors and series as lists)' };
  }
  if (withAsin.some((o) => hasKey(o, 'series_name') || hasKey(o, 'title_short') || hasKey(o, 'filename') || hasKey(o, 'author'))) {
    return { format: 'openaudible-json', reason: 'its objects have OpenAudible\'s keys (author, series_name...)' };
  }
  const libraryKeys = withAsin.some((o) => hasKey(o, 'is_finished') || hasKey(o, 'percent_complete') || hasKey(o, 'purchase_date'));
  if (WISHLIST_NAME.test(baseName(fileName)) || !libraryKeys) {
    return { format: 'audible-cli-wishlist', reason: libraryKeys ? 'the file name says wishlist' : 'its objects have audible-cli keys but no progress or purchase date' };
  }
  return { format: 'audible-cli-json', reason: 'its objects have audible-cli\'s keys' };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
