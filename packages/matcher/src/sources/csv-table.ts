import { err, ok, type InputIssue, type Result } from '@sagasync/core';
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  /** Cells by header name (trimmed header). Missing cells are ''. */
  cells: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** Picks the delimiter that splits the header line into the most columns. */
export function sniffDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    // Count outside quotes only.
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Parses CSV text with a header row; structural errors come back as issues naming the line. */
export function parseCsvTable(text: string, file: string, delimiter?: string): Result<CsvTable, InputIssue[]> {
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiter ?? sniffDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  } catch (error) {
    const e = error as { message?: string; lines?: number; line?: number };
    return err([{ file, line: e.lines ?? e.line, message: `not a readable CSV file: ${e.message ?? String(error)}` }]);
  }
  const [first, ...rest] = records;
  if (!first) return err([{ file, message: 'the file is empty: expected a header row' }]);
  const header = first.record.map((h) => h.trim());
  const rows: CsvRow[] = [];
  for (const { record, info, raw } of rest) {
    const newlines = (raw.match(/\n/g) ?? []).length;
    // `info.lines` is the line the record ends on; a trailing newline in raw belongs to it.
    const line = info.lines - Math.max(0, newlines - (raw.endsWith('\n') ? 1 : 0));
    if (record.every((cell) => cell.trim() === '')) continue;
    const cells: Record<string, string> = {};
    header.forEach((name, i) => {
      cells[name] = record[i] ?? '';
    });
    rows.push({ line, cells });
  }
  return ok({ header, rows });
}

/** Finds a header by name, ignoring case, spaces and punctuation. */
export function findColumn(header: readonly string[], ...names: string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const name of names) {
    const found = header.find((h) => squash(h) === squash(name));
    if (found !== undefined) return found;
  }
  return undefined;
}
