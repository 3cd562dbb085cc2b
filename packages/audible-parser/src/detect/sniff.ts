import { tokenizeText } from '../tabular/tokenizer.js';

/** How much of a file detection looks at. */
export const HEAD_BYTES = 64 * 1024;

export type Sniffed =
  | { kind: 'empty' }
  | { kind: 'binary'; line: number; reason: string }
  | { kind: 'json' }
  | { kind: 'delimited'; delimiter: string; headers: string[]; firstRow: string[] | null };

const DELIMITERS = ['\t', ',', ';'] as const;

/** Counts each candidate delimiter outside quotes on the first line; the most frequent wins. */
export function sniffDelimiter(firstLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = counts.get(d)!;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Bytes that cannot be text: NUL, or a UTF-16 byte-order mark (asked to be saved as UTF-8). */
export function binaryReason(head: Uint8Array): string | null {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return 'the file is UTF-16 text; save it as UTF-8';
  }
  if (head.indexOf(0) !== -1) return 'the file is binary (it contains NUL bytes), not a text export';
  return null;
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

/**
 * Looks at the start of a file: empty, binary, JSON (first character `[` or `{`), or delimited
 * text with its delimiter, header row and first data row (when it fits in the head).
 */
export function sniffHead(headText: string, headBytes?: Uint8Array, forceDelimited = false): Sniffed {
  if (headBytes) {
    const reason = binaryReason(headBytes);
    if (reason !== null) return { kind: 'binary', line: lineOfOffset(headBytes, Math.max(0, headBytes.indexOf(0))), reason };
  } else if (headText.indexOf('\u0000') !== -1) {
    return { kind: 'binary', line: headText.slice(0, headText.indexOf('\u0000')).split('\n').length, reason: 'the file is binary (it contains NUL bytes), not a text export' };
  }
  const text = headText.replace(/^\uFEFF/, '');
  const start = text.search(/\S/);
  if (start === -1) return { kind: 'empty' };
  if (!forceDelimited && (text[start] === '[' || text[start] === '{')) return { kind: 'json' };
  const newline = text.indexOf('\n');
  const firstLine = (newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, '');
  const delimiter = sniffDelimiter(firstLine);
  let records: string[][] = [];
  try {
    records = tokenizeText(text, delimiter, 2);
  } catch {
    // The head may cut a quoted field in two; the header line alone is enough then.
    try {
      records = tokenizeText(firstLine, delimiter, 2);
    } catch {
      records = [firstLine.split(delimiter)];
    }
  }
  return { kind: 'delimited', delimiter, headers: records[0] ?? [], firstRow: records[1] ?? null };
}
