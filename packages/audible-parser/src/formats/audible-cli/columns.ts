import { fieldIndex, type ColumnSpec } from '../../tabular/columns.js';

/**
 * audible-cli `library export` columns (18 since mid 2022; 16 before, without
 * `extended_product_description` and `purchase_date`) and `wishlist export` (the 16). The JSON
 * variant uses the same names as keys and omits keys whose value was null.
 */
export const AUDIBLE_CLI_COLUMNS = [
  { key: 'asin', headers: ['asin'], required: true },
  { key: 'title', headers: ['title'], required: true },
  { key: 'subtitle', headers: ['subtitle'] },
  { key: 'description', headers: ['extended_product_description'], ignored: true },
  { key: 'authors', headers: ['authors'] },
  { key: 'narrators', headers: ['narrators'] },
  { key: 'seriesTitle', headers: ['series_title'] },
  { key: 'seriesSequence', headers: ['series_sequence'] },
  { key: 'genres', headers: ['genres'], ignored: true },
  { key: 'runtime', headers: ['runtime_length_min'] },
  { key: 'isFinished', headers: ['is_finished'] },
  { key: 'percent', headers: ['percent_complete'] },
  { key: 'rating', headers: ['rating'], ignored: true },
  { key: 'numRatings', headers: ['num_ratings'], ignored: true },
  { key: 'dateAdded', headers: ['date_added'] },
  { key: 'releaseDate', headers: ['release_date'] },
  { key: 'coverUrl', headers: ['cover_url'] },
  { key: 'purchaseDate', headers: ['purchase_date'] },
] as const satisfies readonly ColumnSpec[];

export const AUDIBLE_CLI_FIELD = fieldIndex(AUDIBLE_CLI_COLUMNS);
