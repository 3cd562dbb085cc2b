import type { AudibleSeriesVolume } from '@sagasync/audible-parser';

/**
 * One volume of a series as the catalogue lists it, owned or not: the parser's
 * `AudibleSeriesVolume`, read from the product by `seriesVolumeOf`, and whether the marketplace
 * sells it.
 */
export type SeriesVolume = AudibleSeriesVolume & {
  /**
   * From the `price` group: true when the catalogue sent a price, false when it was asked for one
   * and sent none (not sold in this marketplace), absent when not known (a volume of the library,
   * or a catalogue cached before prices were asked for).
   */
  forSale?: boolean;
};

/** Every volume of one series, from its catalogue parent (`content_delivery_type: BookSeries`). */
export interface SeriesCatalogue {
  asin: string;
  title: string;
  /** ISO time of the catalogue calls this came from. */
  fetchedAt: string;
  /** False when some volume could not be hydrated even after re-requests. */
  complete: boolean;
  volumes: SeriesVolume[];
}
