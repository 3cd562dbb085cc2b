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
  if (seriesAsin) return seriesAsin;
  return `title:${normaliseSeriesTitle(seriesTitle)}`;
}
