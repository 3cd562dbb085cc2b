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
] as const;

export type ExportFormat = (typeof EXPORT_FORMAT_IDS)[number];

export interface ExportFormatInfo {
  readonly id: ExportFormat;
  /** Human name, for "unknown format" messages and `--format` help. */
  readonly label: string;
}

/** The formats with a human label each, in the order help texts list them. */
export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { id: 'audible-cli-tsv', label: 'audible-cli library export (TSV)' },
  { id: 'audible-cli-csv', label: 'audible-cli library export (CSV)' },
  { id: 'audible-cli-json', label: 'audible-cli library export (JSON)' },
  { id: 'audible-cli-wishlist', label: 'audible-cli wishlist export (TSV, CSV or JSON)' },
  { id: 'libation-csv', label: 'Libation library export (CSV)' },
  { id: 'libation-json', label: 'Libation library export (JSON)' },
  { id: 'openaudible-csv', label: 'OpenAudible library export (CSV)' },
  { id: 'openaudible-json', label: 'OpenAudible books.json' },
  { id: 'audible-api-json', label: 'Audible API /1.0/library response (JSON, e.g. from `audible api`)' },
  { id: 'sagasync-series-metadata', label: 'SagaSync series metadata (JSON)' },
];

const LABELS = new Map<string, string>(EXPORT_FORMATS.map((f) => [f.id, f.label]));

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && LABELS.has(value);
}

export function exportFormatLabel(format: ExportFormat): string {
  return LABELS.get(format) ?? format;
}

/** Whether a format is delimited text, JSON, or either (a wishlist export comes as TSV, CSV or JSON). */
export function formatContainer(format: ExportFormat): 'delimited' | 'json' | 'either' {
  if (format === 'audible-cli-wishlist') return 'either';
  return format === 'audible-cli-tsv' || format === 'audible-cli-csv' || format === 'libation-csv' || format === 'openaudible-csv' ? 'delimited' : 'json';
}

/** `- id: label` lines, for messages that list what the parser knows. */
export function describeExportFormats(): string {
  return EXPORT_FORMATS.map((f) => `${f.id} (${f.label})`).join(', ');
}
