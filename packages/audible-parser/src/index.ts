export { parseExportFile, parseExportText } from './parse-export.js';
export type { ParseOptions, ParsedExport, ParseFailure, ParseResult } from './parse-export.js';
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
export { AudibleApiItemSchema, type AudibleApiItem } from './formats/audible-api/schema.js';
export { splitSeriesOrder, type SeriesOrderEntry } from './formats/libation/series-order.js';
export { SagasyncLibraryFileSchema, type SagasyncLibraryFile } from './formats/sagasync-library/schema.js';
export { AUDIBLE_CLI_HEADERS, buildLibraryFile, buildSeriesMetadataFile, csvCell, pythonFloat, writeAudibleCliLibrary, type AudibleCliHeader } from './writers/index.js';
