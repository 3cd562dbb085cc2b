import type { SeriesMetadataFile, SeriesMetadataSeries } from '@sagasync/audible-parser';
import type { SeriesCatalogue } from '../api/series.js';
import { normaliseDate } from '../api/timestamps.js';

/**
 * `audible-series-metadata-<timestamp>.json`: every series with its owned and missing volumes, in
 * the parser's `SeriesMetadataFileSchema` shape, which `sagasync import` reads back.
 */
export type { SeriesMetadataFile };

const ASIN = /^[A-Z0-9]{10}$/;

/**
 * The series catalogues in the parser's series-metadata shape: what the export file lists, and
 * what a sync hands to the parser's `mapLibraryItems` (so a sync and an export imported back give
 * the same volumes). A volume is owned when the library holds it; `forSale` says whether the
 * marketplace sells it (false: the catalogue sent no price), absent when not known.
 */
export function seriesOfCatalogues(catalogues: readonly SeriesCatalogue[], ownedAsins: ReadonlySet<string>): SeriesMetadataSeries[] {
  return [...catalogues]
    .sort((a, b) => a.title.localeCompare(b.title) || a.asin.localeCompare(b.asin))
    .map((catalogue) => ({
      asin: ASIN.test(catalogue.asin) ? catalogue.asin : null,
      title: catalogue.title,
      complete: catalogue.complete,
      volumes: catalogue.volumes
        .filter((v) => ASIN.test(v.asin))
        .map((v) => ({
          asin: v.asin,
          title: v.title,
          subtitle: v.subtitle,
          sequence: v.sequence,
          sort: v.sort,
          owned: ownedAsins.has(v.asin),
          authors: v.authors,
          narrators: v.narrators,
          // Catalogues cached by earlier versions hold the release date as Audible sent it.
          releaseDate: normaliseDate(v.releaseDate),
          runtimeMinutes: v.runtimeMinutes,
          coverUrl: v.coverUrl,
          language: v.language,
          isPodcast: v.isPodcast,
          // Whether the marketplace sells it (from the catalogue's `price`); absent when not known.
          ...(typeof v.forSale === 'boolean' ? { forSale: v.forSale } : {}),
        })),
    }));
}

export function buildSeriesMetadata(input: { catalogues: readonly SeriesCatalogue[]; ownedAsins: ReadonlySet<string>; marketplace: string | null; generatedAt: Date }): SeriesMetadataFile {
  return {
    format: 'sagasync-series-metadata',
    version: 1,
    generatedAt: input.generatedAt.toISOString(),
    marketplace: input.marketplace,
    series: seriesOfCatalogues(input.catalogues, input.ownedAsins),
  };
}

/** `audible-series-metadata-20261125T100000Z.json`: sortable, and safe on every file system. */
export function seriesMetadataFileName(at: Date): string {
  return `audible-series-metadata-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}.json`;
}
