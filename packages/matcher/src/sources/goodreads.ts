import type { InputIssue } from '@sagasync/core';
import { parseAuthorList } from '../normalise/author.js';
import { normaliseTitle } from '../normalise/title.js';
import { mapStatus, parseRating, parseTrackerDate, readIsbns } from './common.js';
import type { CsvTable } from './csv-table.js';
import type { TrackerBookInput, TrackerFile, TrackerRowDetails } from './types.js';

/** A Goodreads export has `Book Id` and `Exclusive Shelf` (all three known header variants do). */
export function isGoodreadsHeader(header: readonly string[]): boolean {
  return header.includes('Book Id') && header.includes('Exclusive Shelf');
}

/** Names the variant: 23 columns since mid-2025, 24 with `Average Rating`, 31 before 2020. */
export function goodreadsVariant(header: readonly string[]): string {
  if (header.includes('Recommended For') || header.includes('BCID')) return 'goodreads-pre2020';
  if (header.includes('Average Rating')) return 'goodreads-2020';
  return 'goodreads-2025';
}

const REQUIRED = ['Book Id', 'Title', 'Author'];

/**
 * Reads a Goodreads library export by column name (never by position: the 2025 export dropped a
 * column and positional readers shifted every field after it).
 */
export function readGoodreads(table: CsvTable, file: string): { file: TrackerFile } | { issues: InputIssue[] } {
  const missing = REQUIRED.filter((c) => !table.header.includes(c));
  if (missing.length) return { issues: missing.map((column) => ({ file, line: 1, column, message: 'required Goodreads column is missing' })) };
  const books: TrackerBookInput[] = [];
  const details: TrackerRowDetails[] = [];
  const warnings: InputIssue[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of table.rows) {
    const warn = (issue: Omit<InputIssue, 'file' | 'line'>) => warnings.push({ file, line, ...issue });
    const trackerId = cells['Book Id']!.trim();
    const rawTitle = cells['Title']!.trim();
    if (!trackerId || !rawTitle) {
      warn({ column: !trackerId ? 'Book Id' : 'Title', message: 'row without a Book Id or Title; skipped' });
      continue;
    }
    if (seen.has(trackerId)) {
      warn({ column: 'Book Id', value: trackerId, message: 'Book Id repeated; later row skipped' });
      continue;
    }
    seen.add(trackerId);
    const forms = normaliseTitle(rawTitle);
    // Keep the title as written minus the "(Series, #n)" suffix, which becomes the hint.
    const title = forms.seriesHint ? rawTitle.replace(/\s*\([^()]*#[^()]*\)\s*$/, '').trim() || rawTitle : rawTitle;
    const authors = [...parseAuthorList(cells['Author']), ...parseAuthorList(cells['Additional Authors'])];
    const { isbn10, isbn13 } = readIsbns(
      [
        { value: cells['ISBN13'], column: 'ISBN13' },
        { value: cells['ISBN'], column: 'ISBN' },
      ],
      warn,
    );
    const shelf = cells['Exclusive Shelf']?.trim() || null;
    const dateRead = parseTrackerDate(cells['Date Read']);
    books.push({ source: 'goodreads', trackerId, title, authors, isbn10, isbn13, asin: null, seriesHint: forms.seriesHint, status: mapStatus(shelf ?? undefined) });
    details.push({
      trackerId,
      line,
      rawStatus: shelf,
      rating: parseRating(cells['My Rating']),
      dateAdded: parseTrackerDate(cells['Date Added']),
      reads: dateRead ? [{ started: null, finished: dateRead }] : [],
      format: cells['Binding']?.trim() || null,
    });
  }
  return { file: { source: 'goodreads', variant: goodreadsVariant(table.header), books, details, warnings } };
}
