import { normaliseSeriesTitle } from '@sagasync/core';

/**
 * How names a person types are compared with stored titles and series names: accents and case
 * dropped, `&` read as `and`, punctuation (straight or curly apostrophes, colons) as spaces; the
 * series names' normalisation. Text of only punctuation stays as typed, lower-cased.
 */
export const normaliseTitleText = (text: string): string => normaliseSeriesTitle(text) || text.trim().toLowerCase();

/**
 * How far a name is from what was typed, or null when too far to suggest: the edit distance to the
 * whole name or to its start (a typo in the first words of a long title), at most a third of the
 * query's length (and at least 2).
 */
export function closeness(query: string, name: string): number | null {
  const limit = Math.max(2, Math.floor(query.length / 3));
  const q = query.slice(0, 80);
  let best = Number.POSITIVE_INFINITY;
  if (Math.abs(name.length - q.length) <= limit) best = editDistance(q, name, limit);
  if (name.length > q.length) best = Math.min(best, editDistance(q, name.slice(0, q.length), limit));
  return best <= limit ? best : null;
}

/** Levenshtein distance, stopping early once every path exceeds `limit` (then `limit + 1`). */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowBest) rowBest = value;
    }
    if (rowBest > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
