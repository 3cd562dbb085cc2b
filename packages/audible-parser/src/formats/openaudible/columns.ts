import { fieldIndex, type ColumnSpec } from '../../tabular/columns.js';

/**
 * OpenAudible columns. The CSV headers are those documented by OpenAudible consumers (v3/v4) and
 * the legacy 1.x writer; `books.json` keys are snake_case. OpenAudible is closed source, so the
 * layout is matched by name and every column but ASIN and Title is optional.
 */
export const OPENAUDIBLE_COLUMNS = [
  { key: 'asin', headers: ['ASIN'], json: ['asin'], required: true },
  { key: 'title', headers: ['Title'], json: ['title'], required: true },
  { key: 'author', headers: ['Author'], json: ['author', 'authors'] },
  { key: 'narrators', headers: ['Narrated By'], json: ['narrated_by', 'narrators'] },
  { key: 'purchaseDate', headers: ['Purchase Date'], json: ['purchase_date'] },
  { key: 'duration', headers: ['Duration'], json: ['duration'] },
  { key: 'releaseDate', headers: ['Release Date'], json: ['release_date'] },
  { key: 'seriesName', headers: ['Series Name'], json: ['series_name'] },
  { key: 'seriesSequence', headers: ['Series Sequence'], json: ['series_sequence'] },
  { key: 'language', headers: ['Language'], json: ['language'] },
  { key: 'region', headers: ['Region'], json: ['region'] },
  { key: 'imageUrl', headers: ['Image URL'], json: ['image_url'] },
  { key: 'readStatus', headers: ['Read Status'], json: ['read_status'] },
  {
    key: 'other',
    ignored: true,
    headers: [
      'Key', 'Product ID', 'Codec', 'Link', 'Book URL', 'Summary', 'Description', 'Format', 'Ave. Rating',
      'Rating Count', 'Genre', 'Publisher', 'Short Title', 'Title (short)', 'Copyright', 'Author URL',
      'author_link', 'File name', 'Series URL', 'Abridged', 'PDF URL', 'File Paths', 'AYCE', 'User ID',
      'Customer ID', 'Order #', 'Audible (AAX)', 'Image', 'M4B', 'MP3', 'PDF',
    ],
    json: ['summary', 'filename', 'title_short', 'description', 'genre', 'publisher', 'key', 'product_id'],
  },
] as const satisfies readonly ColumnSpec[];

export const OPENAUDIBLE_FIELD = fieldIndex(OPENAUDIBLE_COLUMNS);
