/**
 * Bytes -> text, decided per file: UTF-8 (with or without a BOM), else Windows-1252. Windows tools
 * and spreadsheet programs still save "ANSI" files (`Caf\xe9`); decoding those as UTF-8 would turn
 * every accented letter into U+FFFD without a word. UTF-8 is checked strictly, so a file is read as
 * Windows-1252 only when it cannot be UTF-8; a file that is not UTF-8 anywhere is read as
 * Windows-1252 everywhere (the caller starts again from its first byte).
 */
export type TextEncodingName = 'utf-8' | 'windows-1252';

/** Thrown by a UTF-8 decoder at the first byte that is not UTF-8; the caller reads the file again. */
export class NotUtf8Error extends Error {
  constructor() {
    super('the text is not UTF-8');
    this.name = 'NotUtf8Error';
  }
}

/** Decodes a file's bytes piece by piece; a character cut by a piece boundary is completed by the next. */
export interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function startsWithUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

export function chunkDecoder(encoding: TextEncodingName): ChunkDecoder {
  if (encoding === 'utf-8') {
    // `fatal` rejects what a lenient decoder would replace with U+FFFD; `ignoreBOM` passes a BOM on
    // as U+FEFF, which the tokenizer and the JSON reader skip, as they do for text given in memory.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const decode = (bytes?: Uint8Array): string => {
      try {
        return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
      } catch {
        throw new NotUtf8Error();
      }
    };
    return { write: (bytes) => decode(bytes), end: () => decode() };
  }
  const decoder = new TextDecoder('windows-1252');
  let first = true;
  return {
    write(bytes) {
      // A UTF-8 BOM on a file that is not UTF-8 after all is still not text ("ï»¿").
      if (first) {
        first = false;
        if (startsWithUtf8Bom(bytes)) bytes = bytes.subarray(3);
      }
      return decoder.decode(bytes, { stream: true });
    },
    end: () => decoder.decode(),
  };
}

/** A whole text held in memory (a JSON file), decoded by the same rule. */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  try {
    const decoder = chunkDecoder('utf-8');
    return { text: decoder.write(bytes) + decoder.end(), encoding: 'utf-8' };
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    const decoder = chunkDecoder('windows-1252');
    return { text: decoder.write(bytes) + decoder.end(), encoding: 'windows-1252' };
  }
}

/**
 * The encoding of a file's first bytes: Windows-1252 when they already break UTF-8. A character cut
 * at the end of the head is not held against it.
 */
export function headEncoding(head: Uint8Array): TextEncodingName {
  try {
    chunkDecoder('utf-8').write(head);
    return 'utf-8';
  } catch (error) {
    if (error instanceof NotUtf8Error) return 'windows-1252';
    throw error;
  }
}

/** The note that says a file was read as Windows-1252, naming the first line that needed it. */
export function windows1252Note(line: number | null): string {
  return `read as Windows-1252 (Latin-1) text, as the file is not UTF-8${line === null ? '' : ` (line ${line} is the first that is not)`}`;
}
