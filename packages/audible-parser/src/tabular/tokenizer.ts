/** A record longer than this is almost surely an unclosed quote swallowing the file. */
export const MAX_RECORD_CHARS = 4_000_000;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/**
 * Why tokenizing stopped early: a quoted field never closes (`unclosed-quote`), a record grows past
 * `MAX_RECORD_CHARS`, or text follows a closing quote (`text-after-quote`: `"a,"b, c"`, where no
 * reading is safe, so the file is refused rather than read as mangled fields).
 */
export interface TokenizeError {
  kind: 'unclosed-quote' | 'record-too-long' | 'text-after-quote';
  /** 1-based line: where the broken record starts; for `text-after-quote`, the line of that quote. */
  line: number;
  /** 0-based index of the field the record was in when it broke. */
  field: number;
  /** For `text-after-quote`: the end of the quoted field, its closing quote and the character after it. */
  near?: string;
}

/** Receives each record with the 1-based line it starts on; return `false` to stop. */
export type RecordHandler = (cells: string[], line: number) => boolean | void;

/**
 * An RFC 4180 tokenizer over decoded text, fed in chunks. Quoted fields may hold delimiters, line
 * breaks and doubled quotes; records end at CRLF, LF or a lone CR. A leading BOM is skipped.
 * Like csv-parse with `relax_quotes` and `relax_column_count`, a quote inside an unquoted field is
 * kept as text (`5" disk`). Unlike it, text after a closing quote (`"Broken Children of Dune,"Dune,
 * Book 3"`) is an error: a writer that quotes a field quotes all of it, so such a row was written
 * by hand or cut, and any reading of it would shift its fields. Every record is passed on, blank
 * lines too (as `['']`).
 *
 * Records are scanned with `indexOf` for the delimiter, line breaks and quotes, and unquoted fields
 * are slices of the chunk. An unfinished record at the end of a chunk is carried into the next one
 * and scanned again from its start.
 *
 * Line numbers count physical lines: CRLF, LF and a lone CR are one line break each, inside quoted
 * fields too.
 */
export class DelimitedTokenizer {
  /** The 1-based line the next record starts on. */
  line = 1;
  private tail = '';
  private started = false;
  private stopped = false;
  /** Field index reached in the unfinished record carried over. */
  private pendingField = 0;
  private readonly delimiter: string;
  private readonly delimiterCode: number;

  constructor(
    delimiter: string,
    private readonly onRecord: RecordHandler,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') throw new Error(`unsupported delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** True once the handler asked to stop. */
  get done(): boolean {
    return this.stopped;
  }

  /** Tokenizes the complete records of `chunk` (with what was carried over). */
  push(chunk: string): TokenizeError | null {
    if (this.stopped || chunk.length === 0) return null;
    const text = this.tail.length > 0 ? this.tail + chunk : chunk;
    const rest = this.scan(text, false);
    if (typeof rest !== 'number') return rest;
    this.tail = rest < text.length ? text.slice(rest) : '';
    if (this.tail.length > MAX_RECORD_CHARS) return { kind: 'record-too-long', line: this.line, field: this.pendingField };
    return null;
  }

  /** Tokenizes what is left: the end of the text ends the last record. */
  end(chunk = ''): TokenizeError | null {
    if (this.stopped) return null;
    const text = this.tail.length > 0 ? this.tail + chunk : chunk;
    this.tail = '';
    const rest = this.scan(text, true);
    return typeof rest !== 'number' ? rest : null;
  }

  /**
   * Emits every complete record of `s`; returns where the unfinished one starts (`s.length` when
   * none), or the error that stopped it.
   */
  private scan(s: string, final: boolean): number | TokenizeError {
    const n = s.length;
    const d = this.delimiter;
    const dc = this.delimiterCode;
    let pos = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (s.charCodeAt(0) === BOM) pos = 1;
    }
    // Next delimiter / LF / CR at or after the scan position (n when none): each found once.
    let nextD = -1;
    let nextLF = -1;
    let nextCR = -1;

    while (pos < n) {
      const recordStart = pos;
      const cells: string[] = [];
      let breaks = 0;
      let p = pos;
      let end: number; // where the record's line break is, or n
      for (;;) {
        let value: string;
        let from: number; // where unquoted text (of the field, or after its closing quote) starts
        if (p < n && s.charCodeAt(p) === QUOTE) {
          value = '';
          let at = p + 1;
          let q: number;
          for (;;) {
            q = s.indexOf('"', at);
            if (q === -1 || (q === n - 1 && !final)) {
              if (!final) {
                this.pendingField = cells.length;
                return recordStart;
              }
              const kind = n - recordStart > MAX_RECORD_CHARS ? 'record-too-long' : 'unclosed-quote';
              return { kind, line: this.line, field: cells.length };
            }
            if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(at, q + 1);
              at = q + 2;
              continue;
            }
            break;
          }
          value += s.slice(at, q);
          // Line breaks inside the quotes.
          if (nextLF <= p) nextLF = indexOrEnd(s, '\n', p + 1);
          while (nextLF < q) {
            breaks++;
            nextLF = indexOrEnd(s, '\n', nextLF + 1);
          }
          if (nextCR <= p) nextCR = indexOrEnd(s, '\r', p + 1);
          while (nextCR < q) {
            if (s.charCodeAt(nextCR + 1) !== LF) breaks++;
            nextCR = indexOrEnd(s, '\r', nextCR + 1);
          }
          const after = q + 1;
          if (after >= n) {
            cells.push(value);
            end = n;
            break;
          }
          const c = s.charCodeAt(after);
          if (c === dc) {
            cells.push(value);
            p = after + 1;
            continue;
          }
          if (c === LF || c === CR) {
            cells.push(value);
            end = after;
            break;
          }
          // `near`: the end of the quoted field and the first character after it (all of it is in
          // this chunk, however the text was cut, so the error is the same for every chunking).
          return { kind: 'text-after-quote', line: this.line + breaks, field: cells.length, near: s.slice(Math.max(p, q - 40), q + 2) };
        } else {
          value = '';
          from = p;
        }
        // Unquoted text from `from` to the next delimiter or line break.
        if (nextD < from) nextD = indexOrEnd(s, d, from);
        if (nextLF < from) nextLF = indexOrEnd(s, '\n', from);
        if (nextCR < from) nextCR = indexOrEnd(s, '\r', from);
        let stop = nextD < nextLF ? nextD : nextLF;
        if (nextCR < stop) stop = nextCR;
        if (stop === n && !final) {
          this.pendingField = cells.length;
          return recordStart;
        }
        cells.push(from === stop ? value : value + s.slice(from, stop));
        if (stop < n && s.charCodeAt(stop) === dc) {
          p = stop + 1;
          continue;
        }
        end = stop;
        break;
      }
      let next = end;
      if (end < n) {
        if (s.charCodeAt(end) === CR) {
          if (end + 1 === n && !final) {
            // A CR ending the chunk may be the first half of a CRLF.
            this.pendingField = cells.length - 1;
            return recordStart;
          }
          next = s.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        } else next = end + 1;
      }
      if (end - recordStart > MAX_RECORD_CHARS) return { kind: 'record-too-long', line: this.line, field: cells.length - 1 };
      const line = this.line;
      this.line = line + breaks + 1;
      pos = next;
      if (this.onRecord(cells, line) === false) {
        this.stopped = true;
        return n;
      }
    }
    return n;
  }
}

function indexOrEnd(s: string, search: string, from: number): number {
  const at = s.indexOf(search, from);
  return at === -1 ? s.length : at;
}

const ERROR_NAMES: Record<TokenizeError['kind'], string> = {
  'unclosed-quote': 'unclosed quote',
  'record-too-long': 'record too long',
  'text-after-quote': 'text after a closing quote',
};

/**
 * Tokenizes a whole text held in memory; stops after `maxRecords` records. Throws on an unclosed
 * quote within those records.
 */
export function tokenizeText(text: string, delimiter: string, maxRecords = Infinity): string[][] {
  const records: string[][] = [];
  if (maxRecords <= 0) return records;
  const tokenizer = new DelimitedTokenizer(delimiter, (cells) => {
    records.push(cells);
    return records.length < maxRecords;
  });
  const error = tokenizer.end(text);
  if (error) throw new Error(`${ERROR_NAMES[error.kind]} on line ${error.line}`);
  return records;
}
