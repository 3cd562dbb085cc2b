export { parseExportFile, parseExportText } from './parse-export.js';
export type { ParseOptions, ParsedExport, ParseFailure, ParseResult } from './parse-export.js';
export { exportInputKind, STDIN_PATH, type ExportInputKind } from './io/export-input.js';
export { EXPORT_FORMATS, EXPORT_FORMAT_IDS, describeExportFormats, exportFormatLabel, isExportFormat } from './export-format.js';
export type { ExportFormat, ExportFormatInfo } from './export-format.js';
export { MAX_LISTED_ISSUES } from './issues.js';
export {
  SeriesMetadataFileSchema,
  SeriesMetadataSeriesSchema,
  SeriesMetadataVolumeSchema,
  type SeriesMetadataFile,
  type SeriesMetadataSeries,
  type SeriesMetadataVolume,
} from './formats/series-metadata/schema.js';
export {
  AUDIBLE_IMAGE_SIZES,
  AudibleApiItemSchema,
  AudibleLibraryItemSchema,
  AudibleProductSchema,
  type AudibleApiItem,
  type AudibleImageSize,
  type AudibleLibraryItem,
  type AudibleProduct,
} from './formats/audible-api/schema.js';
export {
  mapLibraryItems,
  parseLibraryItem,
  seriesVolumeOf,
  type AudibleSeriesVolume,
  type InvalidLibraryItem,
  type ItemFinishedEvent,
  type ItemLastPosition,
  type ItemLocation,
  type MapLibraryItemsOptions,
  type MappedLibraryItems,
} from './formats/audible-api/map-items.js';
export { contributorNames, coverUrlOf, forSaleOf, podcastFlag } from './formats/audible-api/product-values.js';
export { splitSeriesOrder, type SeriesOrderEntry } from './formats/libation/series-order.js';
export { SagasyncLibraryFileSchema, type SagasyncLibraryFile } from './formats/sagasync-library/schema.js';
export { AUDIBLE_CLI_HEADERS, buildLibraryFile, buildSeriesMetadataFile, csvCell, pythonFloat, writeAudibleCliLibrary, type AudibleCliHeader } from './writers/index.js';
