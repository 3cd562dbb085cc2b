/** One volume of a series as the catalogue lists it, owned or not. */
export interface SeriesVolume {
  asin: string;
  title: string;
  subtitle: string | null;
  /** Raw sequence text (`"2.5"`, `"1-3"`, `""`). */
  sequence: string;
  /** Audible's display order inside the series. */
  sort: string | null;
  authors: string[];
  narrators: string[];
  releaseDate: string | null;
  runtimeMinutes: number | null;
  coverUrl: string | null;
  language: string | null;
  isPodcast: boolean;
}

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
