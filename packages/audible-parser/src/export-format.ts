/** Every file layout the parser reads. */
export const EXPORT_FORMAT_IDS = [
  'audible-cli-tsv',
  'audible-cli-csv',
  'audible-cli-json',
  'audible-cli-wishlist',
  'libation-csv',
  'libation-json',
  'openaudible-csv',
  'openaudible-json',
  'audible-api-json',
  'sagasync-series-metadata',
  'sagasync-library',
] as const;

export type ExportFormat = (typeof EXPORT_FORMAT_IDS)[number];

export interface ExportFormatInfo {
  readonly id: ExportFormat;
  /** Human name, for "unknown format" messages and `--format` help. */
  readonly label: string;
}

/**
 * Every format with its human label, keyed by id: `Object.keys(EXPORT_FORMATS)` lists the ids for
 * `--format` help, `EXPORT_FORMATS[id].label` names one. Keys are in the order help texts list them.
 */
export const EXPORT_FORMATS: Readonly<Record<ExportFormat, ExportFormatInfo>> = Object.freeze({
  'audible-cli-tsv': { id: 'audible-cli-tsv', label: 'audible-cli library export (TSV)' },
  'audible-cli-csv': { id: 'audible-cli-csv', label: 'audible-cli library export (CSV)' },
  'audible-cli-json': { id: 'audible-cli-json', label: 'audible-cli library export (JSON)' },
  'audible-cli-wishlist': { id: 'audible-cli-wishlist', label: 'audible-cli wishlist export (TSV, CSV or JSON)' },
  'libation-csv': { id: 'libation-csv', label: 'Libation library export (CSV)' },
  'libation-json': { id: 'libation-json', label: 'Libation library export (JSON)' },
  'openaudible-csv': { id: 'openaudible-csv', label: 'OpenAudible library export (CSV)' },
  'openaudible-json': { id: 'openaudible-json', label: 'OpenAudible books.json' },
  'audible-api-json': { id: 'audible-api-json', label: 'Audible API /1.0/library response (JSON, e.g. from `audible api`)' },
  'sagasync-series-metadata': { id: 'sagasync-series-metadata', label: 'SagaSync series metadata (JSON)' },
  'sagasync-library': { id: 'sagasync-library', label: 'SagaSync library export (JSON, from `sagasync export`)' },
});

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMAT_IDS as readonly string[]).includes(value);
}

export function exportFormatLabel(format: ExportFormat): string {
  return EXPORT_FORMATS[format]?.label ?? format;
}

/** Whether a format is delimited text, JSON, or either (a wishlist export comes as TSV, CSV or JSON). */
export function formatContainer(format: ExportFormat): 'delimited' | 'json' | 'either' {
  if (format === 'audible-cli-wishlist') return 'either';
  return format === 'audible-cli-tsv' || format === 'audible-cli-csv' || format === 'libation-csv' || format === 'openaudible-csv' ? 'delimited' : 'json';
}

/** `id (label), ...`, for messages that list what the parser knows. */
export function describeExportFormats(): string {
  return EXPORT_FORMAT_IDS.map((id) => `${id} (${EXPORT_FORMATS[id].label})`).join(', ');
}
