import type { SeriesMetadataFile } from '@sagasync/audible-parser';
import type { SeriesCatalogue } from '../api/series.js';
import { normaliseDate } from '../api/timestamps.js';

/**
 * `audible-series-metadata-<timestamp>.json`: every series with its owned and missing volumes, in
 * the parser's `SeriesMetadataFileSchema` shape, which `sagasync import` reads back.
 */
export type { SeriesMetadataFile };

export function buildSeriesMetadata(input: { catalogues: readonly SeriesCatalogue[]; ownedAsins: ReadonlySet<string>; marketplace: string | null; generatedAt: Date }): SeriesMetadataFile {
  return {
    format: 'sagasync-series-metadata',
    version: 1,
    generatedAt: input.generatedAt.toISOString(),
    marketplace: input.marketplace,
    series: [...input.catalogues]
      .sort((a, b) => a.title.localeCompare(b.title) || a.asin.localeCompare(b.asin))
      .map((catalogue) => ({
        asin: /^[A-Z0-9]{10}$/.test(catalogue.asin) ? catalogue.asin : null,
        title: catalogue.title,
        volumes: catalogue.volumes
          .filter((v) => /^[A-Z0-9]{10}$/.test(v.asin))
          .map((v) => ({
            asin: v.asin,
            title: v.title,
            subtitle: v.subtitle,
            sequence: v.sequence,
            sort: v.sort,
            owned: input.ownedAsins.has(v.asin),
            authors: v.authors,
            narrators: v.narrators,
            releaseDate: normaliseDate(v.releaseDate),
            runtimeMinutes: v.runtimeMinutes,
            coverUrl: v.coverUrl,
          })),
      })),
  };
}

/** `audible-series-metadata-20261125T100000Z.json`: sortable, and safe on every file system. */
export function seriesMetadataFileName(at: Date): string {
  return `audible-series-metadata-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}.json`;
}
