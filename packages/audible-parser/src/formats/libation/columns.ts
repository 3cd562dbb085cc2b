import { fieldIndex, type ColumnSpec } from '../../tabular/columns.js';

/**
 * Libation export columns: CSV headers (current spelling first, the spelling before January 2026
 * after it) and the JSON export's keys (the C# property names). Columns the parser does not
 * import are listed as ignored so they are not reported as unknown.
 */
export const LIBATION_COLUMNS = [
  { key: 'asin', headers: ['Audible Product Id'], json: ['AudibleProductId'], required: true },
  { key: 'title', headers: ['Title'], json: ['Title'], required: true },
  { key: 'subtitle', headers: ['Subtitle'], json: ['Subtitle'] },
  { key: 'account', headers: ['Account'], json: ['Account'] },
  { key: 'dateAdded', headers: ['Date Added to library'], json: ['DateAdded'] },
  { key: 'locale', headers: ['Locale'], json: ['Locale'] },
  { key: 'authors', headers: ['Authors'], json: ['AuthorNames'] },
  { key: 'narrators', headers: ['Narrators'], json: ['NarratorNames'] },
  { key: 'length', headers: ['Length In Minutes'], json: ['LengthInMinutes'] },
  { key: 'seriesNames', headers: ['Series Names'], json: ['SeriesNames'], ignored: true },
  { key: 'seriesOrder', headers: ['Series Order'], json: ['SeriesOrder'] },
  { key: 'datePublished', headers: ['Date Published'], json: ['DatePublished'] },
  { key: 'contentType', headers: ['Content Type'], json: ['ContentType'] },
  { key: 'language', headers: ['Language'], json: ['Language'] },
  { key: 'isFinished', headers: ['Is Finished?', 'IsFinished'], json: ['IsFinished'] },
  {
    key: 'other',
    ignored: true,
    headers: [
      'Is Audible Plus?', 'Absent from last scan?', 'Description', 'Publisher', 'Has PDF',
      'Community Rating: Overall', 'Community Rating: Performance', 'Community Rating: Story',
      'Cover Id', 'Cover Id Large', 'Is Abridged?', 'Categories', 'My Rating: Overall',
      'My Rating: Performance', 'My Rating: Story', 'My Libation Tags', 'Book Liberated Status',
      'PDF Liberated Status', 'Audio Format', 'Last Downloaded', 'LastDownloaded',
      'Last Downloaded Version', 'LastDownloadedVersion', 'Is Spatial?', 'IsSpatial', 'Included Until',
      'Last Downloaded File Version', 'Last Downloaded Codec', 'Last Downloaded Sample rate',
      'Last Downloaded Audio Channels', 'Last Downloaded Bitrate',
    ],
    json: [
      'IsAudiblePlus', 'AbsentFromLastScan', 'Description', 'Publisher', 'HasPdf', 'CommunityRatingOverall',
      'CommunityRatingPerformance', 'CommunityRatingStory', 'PictureId', 'PictureLarge', 'IsAbridged',
      'CategoriesNames', 'MyRatingOverall', 'MyRatingPerformance', 'MyRatingStory', 'MyLibationTags',
      'BookStatus', 'PdfStatus', 'AudioFormat', 'LastDownloaded', 'LastDownloadedVersion', 'IsSpatial',
      'IncludedUntil', 'LastDownloadedFileVersion', 'LastDownloadedFormat',
    ],
  },
] as const satisfies readonly ColumnSpec[];

export const LIBATION_FIELD = fieldIndex(LIBATION_COLUMNS);
