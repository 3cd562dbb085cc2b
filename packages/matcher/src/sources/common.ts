import type { InputIssue, ListeningStatus } from '@sagasync/core';
import { parseAsin, parseIsbn } from '../normalise/identifiers.js';
import type { ReadSpan } from './types.js';

/** `2024/03/01`, `2024-03-01` or `2024/3/1` -> `2024-03-01`; null when empty or not a date. */
export function parseTrackerDate(raw: string | undefined): string | null {
  const m = raw?.trim().match(/^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * StoryGraph `Dates Read`: comma-separated `start-end` spans (`2025/03/01-2025/03/14`), where
 * either end may be missing. Invalid spans are reported, not guessed.
 */
export function parseReadSpans(raw: string | undefined, onInvalid: (value: string) => void): ReadSpan[] {
  if (!raw?.trim()) return [];
  const spans: ReadSpan[] = [];
  for (const part of raw.split(/\s*,\s*/)) {
    if (!part) continue;
    const m = part.match(/^(\d{4}[/.-]\d{1,2}[/.-]\d{1,2})?\s*(?:-\s*(\d{4}[/.-]\d{1,2}[/.-]\d{1,2})?)?$/);
    const started = m?.[1] ? parseTrackerDate(m[1]) : null;
    const finished = m?.[2] ? parseTrackerDate(m[2]) : null;
    if (!m || (m[1] && !started) || (m[2] && !finished) || (!started && !finished)) {
      onInvalid(part);
      continue;
    }
    // A single date without a dash is a finish date, as Goodreads-style exports write it.
    spans.push(part.includes('-') || !started ? { started, finished } : { started: null, finished: started });
  }
  return spans;
}

const STATUS: Record<string, ListeningStatus> = {
  read: 'finished',
  finished: 'finished',
  done: 'finished',
  'currently-reading': 'in_progress',
  'currently reading': 'in_progress',
  reading: 'in_progress',
  'in-progress': 'in_progress',
  'in progress': 'in_progress',
  in_progress: 'in_progress',
  paused: 'in_progress',
  'to-read': 'not_started',
  'to read': 'not_started',
  'want to read': 'not_started',
  'want-to-read': 'not_started',
  tbr: 'not_started',
  'not started': 'not_started',
  not_started: 'not_started',
  unread: 'not_started',
};

/** Tracker shelf or status -> listening status; custom shelves (`did-not-finish`) map to null. */
export function mapStatus(raw: string | undefined): ListeningStatus | null {
  return STATUS[raw?.trim().toLowerCase() ?? ''] ?? null;
}

/** Reads the ISBN columns, converting between lengths; a non-empty invalid value becomes a warning. */
export function readIsbns(
  values: { value: string | undefined; column: string }[],
  warn: (issue: Omit<InputIssue, 'file' | 'line'>) => void,
): { isbn10: string | null; isbn13: string | null } {
  let isbn10: string | null = null;
  let isbn13: string | null = null;
  for (const { value, column } of values) {
    const parsed = parseIsbn(value);
    if (parsed.empty) continue;
    if (!parsed.valid) {
      warn({ column, value, message: 'not a valid ISBN (checksum or length); ignored' });
      continue;
    }
    isbn10 ??= parsed.isbn10;
    isbn13 ??= parsed.isbn13;
  }
  return { isbn10, isbn13 };
}

/** StoryGraph's `ISBN/UID`: an ASIN, an ISBN of either length, or a StoryGraph-internal id. */
export function readIdentifierColumn(value: string | undefined): { asin: string | null; isbn10: string | null; isbn13: string | null } {
  const asin = parseAsin(value);
  if (asin) return { asin, isbn10: null, isbn13: null };
  const isbn = parseIsbn(value);
  return { asin: null, isbn10: isbn.isbn10, isbn13: isbn.isbn13 };
}

export function parseRating(raw: string | undefined): number | null {
  const n = Number(raw?.trim());
  // Goodreads writes 0 for "not rated".
  return raw?.trim() && Number.isFinite(n) && n > 0 ? n : null;
}
