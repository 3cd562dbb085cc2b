import type { InputIssue } from '@sagasync/core';
import { parseAuthorList } from '../normalise/author.js';
import { normaliseTitle } from '../normalise/title.js';
import { mapStatus, parseRating, parseReadSpans, readIdentifierColumn, readIsbns } from './common.js';
import { findColumn, type CsvTable } from './csv-table.js';
import { deriveTrackerId, IdRegistry } from './tracker-id.js';
import type { ColumnMapping, TrackerBookInput, TrackerFile, TrackerRowDetails } from './types.js';

/** Header names tried when a column is not mapped explicitly. */
const DEFAULTS: Required<{ [K in keyof ColumnMapping]: string[] }> = {
  id: ['id', 'book id', 'bookid', 'tracker id'],
  title: ['title', 'book title', 'name', 'book'],
  authors: ['authors', 'author', 'author(s)', 'writer', 'by'],
  isbn: ['isbn', 'isbn10', 'isbn-10'],
  isbn13: ['isbn13', 'isbn-13', 'ean'],
  asin: ['asin', 'isbn/uid', 'uid'],
  status: ['status', 'read status', 'shelf', 'exclusive shelf', 'state'],
  series: ['series', 'series name'],
  seriesIndex: ['series index', 'series number', 'series #', 'volume', 'book number'],
  rating: ['rating', 'my rating', 'stars', 'star rating'],
  dateRead: ['date read', 'dates read', 'finished', 'read date'],
};

/**
 * Reads any CSV with a header row. Columns come from `columns` (CLI flags) or, failing that, from
 * common header names. Only a title column is required.
 */
export function readGenericCsv(table: CsvTable, file: string, columns: ColumnMapping = {}): { file: TrackerFile } | { issues: InputIssue[] } {
  const resolved: Partial<Record<keyof ColumnMapping, string>> = {};
  const issues: InputIssue[] = [];
  for (const key of Object.keys(DEFAULTS) as (keyof ColumnMapping)[]) {
    const wanted = columns[key];
    if (wanted !== undefined) {
      const found = findColumn(table.header, wanted);
      if (found === undefined) issues.push({ file, line: 1, column: wanted, message: `mapped ${key} column not found; the header has: ${table.header.join(', ')}` });
      else resolved[key] = found;
    } else {
      const found = findColumn(table.header, ...DEFAULTS[key]);
      if (found !== undefined) resolved[key] = found;
    }
  }
  if (!resolved.title && !issues.length) issues.push({ file, line: 1, message: `no title column found (map one with columns.title); the header has: ${table.header.join(', ')}` });
  if (issues.length) return { issues };

  const books: TrackerBookInput[] = [];
  const details: TrackerRowDetails[] = [];
  const warnings: InputIssue[] = [];
  const ids = new IdRegistry();
  const cell = (cells: Record<string, string>, key: keyof ColumnMapping) => (resolved[key] ? cells[resolved[key]]?.trim() ?? '' : '');
  for (const { line, cells } of table.rows) {
    const warn = (issue: Omit<InputIssue, 'file' | 'line'>) => warnings.push({ file, line, ...issue });
    const rawTitle = cell(cells, 'title');
    if (!rawTitle) {
      warn({ column: resolved.title, message: 'row without a title; skipped' });
      continue;
    }
    const authors = parseAuthorList(cell(cells, 'authors'));
    const explicitId = cell(cells, 'id');
    const claimed = ids.claim(explicitId || deriveTrackerId('csv', rawTitle, authors));
    if (claimed.duplicate) warn({ column: resolved.id ?? resolved.title, value: explicitId || rawTitle, message: `repeated row id; kept as ${claimed.id}` });
    const fromAsinColumn = readIdentifierColumn(cell(cells, 'asin'));
    const isbns = readIsbns(
      [
        { value: cell(cells, 'isbn13'), column: resolved.isbn13 ?? 'isbn13' },
        { value: cell(cells, 'isbn'), column: resolved.isbn ?? 'isbn' },
      ],
      warn,
    );
    const forms = normaliseTitle(rawTitle);
    const seriesName = cell(cells, 'series');
    const seriesHint = seriesName ? { title: seriesName, sequence: cell(cells, 'seriesIndex') } : forms.seriesHint;
    const rawStatus = cell(cells, 'status') || null;
    books.push({
      source: 'csv',
      trackerId: claimed.id,
      title: rawTitle,
      authors,
      isbn10: isbns.isbn10 ?? fromAsinColumn.isbn10,
      isbn13: isbns.isbn13 ?? fromAsinColumn.isbn13,
      asin: fromAsinColumn.asin,
      seriesHint,
      status: mapStatus(rawStatus ?? undefined),
    });
    details.push({
      trackerId: claimed.id,
      line,
      rawStatus,
      rating: parseRating(cell(cells, 'rating')),
      dateAdded: null,
      reads: parseReadSpans(cell(cells, 'dateRead'), (value) => warn({ column: resolved.dateRead, value, message: 'not a date or date range; ignored' })),
      format: null,
    });
  }
  return { file: { source: 'csv', variant: 'csv', books, details, warnings } };
}
