import { parseSequence, positionStart, type Series, type Title } from '@sagasync/core';
import type { SeriesMetadataFile } from '../formats/series-metadata/schema.js';

/**
 * Every series with all its volumes, owned or not, as SagaSync's series-metadata file. Series
 * keyed by title (no ASIN) keep their title, so they meet the same series when imported again.
 */
export function buildSeriesMetadataFile(input: { titles: readonly Title[]; series: readonly Series[]; generatedAt: string; marketplace?: string | null }): SeriesMetadataFile {
  const volumes = new Map<string, { title: Title; sequence: string }[]>();
  for (const title of input.titles) {
    for (const m of title.series) {
      const list = volumes.get(m.seriesKey) ?? [];
      list.push({ title, sequence: m.sequence });
      volumes.set(m.seriesKey, list);
    }
  }
  const start = (sequence: string) => positionStart(parseSequence(sequence)) ?? Number.MAX_SAFE_INTEGER;
  return {
    format: 'sagasync-series-metadata',
    version: 1,
    generatedAt: input.generatedAt,
    marketplace: input.marketplace ?? null,
    series: [...input.series]
      .filter((s) => volumes.has(s.key))
      .sort((a, b) => a.title.localeCompare(b.title) || a.key.localeCompare(b.key))
      .map((s) => ({
        asin: s.asin,
        title: s.title,
        complete: s.catalogueComplete,
        volumes: volumes
          .get(s.key)!
          .sort((a, b) => start(a.sequence) - start(b.sequence) || a.title.asin.localeCompare(b.title.asin))
          .map(({ title, sequence }) => ({
            asin: title.asin,
            title: title.title,
            subtitle: title.subtitle,
            sequence,
            sort: null,
            owned: title.owned,
            authors: title.authors,
            narrators: title.narrators,
            releaseDate: title.releaseDate,
            runtimeMinutes: title.runtimeMinutes,
            coverUrl: title.coverUrl,
            // Written only when known, so a file from a store without them reads as before.
            ...(typeof title.forSale === 'boolean' ? { forSale: title.forSale } : {}),
            ...(title.contributors && title.contributors.length > 0 ? { contributors: title.contributors } : {}),
          })),
      })),
  };
}
