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

/** C0 controls that text files do not hold (tab, line breaks, form feed, ESC and DOS's end-of-file are allowed), and DEL. */
function isControlByte(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1a && b !== 0x1b) || b === 0x7f;
}

/**
 * Bytes that cannot be text: NUL, control bytes in numbers no export holds (more than 1% of the
 * head: an image, an archive, random bytes), or a UTF-16 byte-order mark (asked to be saved as UTF-8).
 * Returns the reason and the offset of the first such byte.
 */
export function binaryReason(head: Uint8Array): { reason: string; offset: number } | null {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return { reason: 'the file is UTF-16 text; save it as UTF-8', offset: 0 };
  }
  const nul = head.indexOf(0);
  if (nul !== -1) return { reason: 'the file is binary (it contains NUL bytes), not a text export', offset: nul };
  let controls = 0;
  let first = -1;
  for (let i = 0; i < head.length; i++) {
    if (!isControlByte(head[i]!)) continue;
    if (first === -1) first = i;
    controls++;
  }
  if (controls > Math.max(4, head.length / 100)) return { reason: 'the file is binary (it is full of control bytes), not a text export', offset: first };
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
    const binary = binaryReason(headBytes);
    if (binary !== null) return { kind: 'binary', line: lineOfOffset(headBytes, binary.offset), reason: binary.reason };
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
