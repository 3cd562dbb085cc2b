import { readFile } from 'node:fs/promises';
import { err, ok, type InputIssue, type Result } from '@sagasync/core';
import { parseCsvTable } from './csv-table.js';
import { readGenericCsv } from './generic-csv.js';
import { isGoodreadsHeader, readGoodreads } from './goodreads.js';
import { isStoryGraphHeader, readStoryGraph } from './storygraph.js';
import { ReadTrackerOptionsSchema, TrackerBookInputSchema, type FileSource, type ReadTrackerOptions, type TrackerFile } from './types.js';

export type TrackerReadResult = Result<TrackerFile, { issues: InputIssue[] }>;

/** Goodreads or StoryGraph by their header signature; anything else is a generic CSV. */
export function detectSource(header: readonly string[]): FileSource {
  if (isGoodreadsHeader(header)) return 'goodreads';
  if (isStoryGraphHeader(header)) return 'storygraph';
  return 'csv';
}

/** Reads tracker export text (no file system); `file` labels issues. */
export function readTrackerText(text: string, options: ReadTrackerOptions = {}, file = '<input>'): TrackerReadResult {
  const parsedOptions = ReadTrackerOptionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    return err({ issues: parsedOptions.error.issues.map((i) => ({ file, path: i.path.join('.'), message: `invalid option: ${i.message}` })) });
  }
  const opts = parsedOptions.data;
  const table = parseCsvTable(text, file, opts.delimiter);
  if (!table.success) return err({ issues: table.error });
  const detected = detectSource(table.value.header);
  const source = opts.source ?? detected;
  if (opts.source && opts.source !== 'csv' && detected !== opts.source) {
    return err({ issues: [{ file, line: 1, message: `this is not a ${opts.source} export (its header looks like ${detected === 'csv' ? 'a generic CSV' : `a ${detected} export`}); try --source ${detected}` }] });
  }
  const read =
    source === 'goodreads'
      ? readGoodreads(table.value, file)
      : source === 'storygraph'
        ? readStoryGraph(table.value, file)
        : readGenericCsv(table.value, file, opts.columns);
  if ('issues' in read) return err({ issues: read.issues });
  // Validate what leaves the reader against the core model, naming the row on failure.
  const issues: InputIssue[] = [];
  read.file.books.forEach((book, i) => {
    const checked = TrackerBookInputSchema.safeParse(book);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        issues.push({ file, line: read.file.details[i]!.line, path: issue.path.join('.'), message: issue.message });
      }
    }
  });
  if (issues.length) return err({ issues });
  if (read.file.books.length === 0) return err({ issues: [{ file, message: 'no book rows in the file', ...(read.file.warnings.length ? { value: `${read.file.warnings.length} rows skipped` } : {}) }] });
  return ok(read.file);
}

/** Reads a Goodreads, StoryGraph or generic CSV export from disk. */
export async function readTrackerFile(path: string, options: ReadTrackerOptions = {}): Promise<TrackerReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return err({ issues: [{ file: path, message: code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(error as Error).message}` }] });
  }
  return readTrackerText(text, options, path);
}
