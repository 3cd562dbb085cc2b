import type { InputIssue } from '@sagasync/core';
import { parseAuthorList } from '../normalise/author.js';
import { normaliseTitle } from '../normalise/title.js';
import { mapStatus, parseRating, parseReadSpans, parseTrackerDate, readIdentifierColumn } from './common.js';
import type { CsvTable } from './csv-table.js';
import { deriveTrackerId, IdRegistry } from './tracker-id.js';
import type { TrackerBookInput, TrackerFile, TrackerRowDetails } from './types.js';

export function isStoryGraphHeader(header: readonly string[]): boolean {
  return header.includes('ISBN/UID') && header.includes('Read Status');
}

const REQUIRED = ['Title', 'Authors', 'ISBN/UID', 'Read Status'];

/** Reads a StoryGraph export. It has no row id, so ids are derived from title and authors. */
export function readStoryGraph(table: CsvTable, file: string): { file: TrackerFile } | { issues: InputIssue[] } {
  const missing = REQUIRED.filter((c) => !table.header.includes(c));
  if (missing.length) return { issues: missing.map((column) => ({ file, line: 1, column, message: 'required StoryGraph column is missing' })) };
  const books: TrackerBookInput[] = [];
  const details: TrackerRowDetails[] = [];
  const warnings: InputIssue[] = [];
  const ids = new IdRegistry();
  for (const { line, cells } of table.rows) {
    const warn = (issue: Omit<InputIssue, 'file' | 'line'>) => warnings.push({ file, line, ...issue });
    const rawTitle = cells['Title']!.trim();
    if (!rawTitle) {
      warn({ column: 'Title', message: 'row without a title; skipped' });
      continue;
    }
    // Contributors (illustrators, translators, narrators) are not authors and are not read.
    const authors = parseAuthorList(cells['Authors']);
    const claimed = ids.claim(deriveTrackerId('sg', rawTitle, authors));
    if (claimed.duplicate) warn({ column: 'Title', value: rawTitle, message: `same title and authors as an earlier row; kept as ${claimed.id}` });
    const rawId = cells['ISBN/UID']?.trim() ?? '';
    const ids_ = readIdentifierColumn(rawId);
    if (rawId && !ids_.asin && !ids_.isbn13 && !ids_.isbn10 && /^\d{10,13}$|^[0-9X]{10}$/i.test(rawId.replace(/-/g, ''))) {
      warn({ column: 'ISBN/UID', value: rawId, message: 'not a valid ISBN (checksum or length); ignored' });
    }
    const forms = normaliseTitle(rawTitle);
    const rawStatus = cells['Read Status']?.trim() || null;
    const reads = parseReadSpans(cells['Dates Read'], (value) => warn({ column: 'Dates Read', value, message: 'not a date range YYYY/MM/DD-YYYY/MM/DD; ignored' }));
    const last = parseTrackerDate(cells['Last Date Read']);
    if (reads.length === 0 && last) reads.push({ started: null, finished: last });
    books.push({
      source: 'storygraph',
      trackerId: claimed.id,
      title: rawTitle,
      authors,
      isbn10: ids_.isbn10,
      isbn13: ids_.isbn13,
      asin: ids_.asin,
      seriesHint: forms.seriesHint,
      status: mapStatus(rawStatus ?? undefined),
    });
    details.push({
      trackerId: claimed.id,
      line,
      rawStatus,
      rating: parseRating(cells['Star Rating']),
      dateAdded: parseTrackerDate(cells['Date Added']),
      reads,
      format: cells['Format']?.trim() || null,
    });
  }
  return { file: { source: 'storygraph', variant: 'storygraph', books, details, warnings } };
}
