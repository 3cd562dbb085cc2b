import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountSnapshot } from '../api/fetch-account.js';
import { writeAudibleCliLibrary } from './library-csv.js';
import { buildSeriesMetadata, seriesMetadataFileName } from './series-metadata.js';

export interface ExportFile {
  fileName: string;
  content: string;
}

/**
 * The two files of `sagasync audible export`: an audible-cli compatible `library.csv` and
 * `audible-series-metadata-<timestamp>.json` with the owned and missing volumes of every series.
 */
export function buildAudibleExport(snapshot: Pick<AccountSnapshot, 'items' | 'catalogues' | 'marketplace'>, options: { now: Date; format?: 'csv' | 'tsv' }): { library: ExportFile; seriesMetadata: ExportFile } {
  const owned = new Set(snapshot.items.map((i) => i.asin));
  const format = options.format ?? 'csv';
  return {
    library: { fileName: `library.${format}`, content: writeAudibleCliLibrary(snapshot.items, { format }) },
    seriesMetadata: {
      fileName: seriesMetadataFileName(options.now),
      content: `${JSON.stringify(buildSeriesMetadata({ catalogues: snapshot.catalogues, ownedAsins: owned, marketplace: snapshot.marketplace, generatedAt: options.now }), null, 2)}\n`,
    },
  };
}

/** Writes both export files into `dir` (created if needed); returns their paths. */
export async function writeAudibleExport(dir: string, files: { library: ExportFile; seriesMetadata: ExportFile }): Promise<{ libraryPath: string; seriesMetadataPath: string }> {
  await mkdir(dir, { recursive: true });
  const libraryPath = join(dir, files.library.fileName);
  const seriesMetadataPath = join(dir, files.seriesMetadata.fileName);
  await writeFile(libraryPath, files.library.content, 'utf8');
  await writeFile(seriesMetadataPath, files.seriesMetadata.content, 'utf8');
  return { libraryPath, seriesMetadataPath };
}
