export { AUDIBLE_CLI_HEADERS, pythonFloat, writeAudibleCliLibrary, type AudibleCliHeader } from './audible-cli-csv.js';
export { csvCell } from './csv-cell.js';
export { buildSeriesMetadataFile } from './series-metadata.js';
export { buildLibraryFile } from './library-file.js';
