/** Lower case, no diacritics, punctuation to spaces, single spaces. */
export function normaliseSeriesTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/**
 * The key a series is stored under: its ASIN when known, else `title:` + the normalised title,
 * so "The Expanse" and "the expanse" from two exports meet in one series.
 */
export function seriesKeyFor(seriesAsin: string | null | undefined, seriesTitle: string): string {
  const asin = seriesAsin?.trim().toUpperCase();
  if (asin) return asin;
  // A title of only punctuation or symbols normalises to nothing; keep it distinct from others.
  const normalised = normaliseSeriesTitle(seriesTitle) || seriesTitle.trim().toLowerCase();
  return `title:${normalised}`;
}
