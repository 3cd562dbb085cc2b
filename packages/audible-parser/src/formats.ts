import type { Detection } from './detect/detect-format.js';
import { describeExportFormats, exportFormatLabel, type ExportFormat } from './export-format.js';
import { audibleCliLibrary, audibleCliWishlist } from './formats/audible-cli/map-row.js';
import { libation } from './formats/libation/map-row.js';
import { openAudible } from './formats/openaudible/map-row.js';
import type { RowFormat } from './formats/row-format.js';
import { failure, type ParseResult } from './session.js';

/** The formats whose rows are flat (delimited text, or a JSON array of flat objects). */
export const ROW_FORMATS: Partial<Record<ExportFormat, RowFormat>> = {
  'audible-cli-tsv': audibleCliLibrary,
  'audible-cli-csv': audibleCliLibrary,
  'audible-cli-json': audibleCliLibrary,
  'audible-cli-wishlist': audibleCliWishlist,
  'libation-csv': libation,
  'libation-json': libation,
  'openaudible-csv': openAudible,
  'openaudible-json': openAudible,
};

/** Delimited text is located at its header line; JSON at its root. */
export function unknownFormat(file: string, hint: string, where: { value: string } | { path: string }): ParseResult {
  const location = 'path' in where ? where : { line: 1, ...where };
  return failure([{ file, ...location, message: `unknown format: ${hint}. Known formats: ${describeExportFormats()}` }]);
}

export function detectionNote(detection: Detection, explicit: boolean): string {
  return explicit ? `read as ${exportFormatLabel(detection.format)} (format given)` : `detected ${exportFormatLabel(detection.format)}: ${detection.reason}`;
}
