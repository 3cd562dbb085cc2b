export { writeAudibleCliLibrary } from './audible-cli-csv.js';
export { buildSeriesMetadataFile } from './series-metadata.js';
export { buildLibraryFile } from './library-file.js';
