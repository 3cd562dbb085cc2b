const CR = 13;
const LF = 10;

/**
 * Finds the line of the first byte that is not UTF-8, fed a file's bytes piece by piece. Only run
 * on a file already found not to be UTF-8, to name that line in a note: TextDecoder says whether
 * bytes are UTF-8, not where they stop being so. Lines are counted as the tokenizer counts them
 * (CRLF, LF or a lone CR ends one), quoted line breaks included. Validation follows the Unicode
 * table of well-formed byte sequences: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
export class Utf8LineFinder {
  /** The line being read. */
  private line = 1;
  private afterCR = false;
  /** Continuation bytes still expected, and the range the next one must fall in. */
  private need = 0;
  private low = 0x80;
  private high = 0xbf;

  /** The line of the first byte breaking UTF-8 in `bytes` (after those pushed before), or null. */
  push(bytes: Uint8Array): number | null {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.need > 0) {
        if (b < this.low || b > this.high) return this.line;
        this.need--;
        this.low = 0x80;
        this.high = 0xbf;
        continue;
      }
      if (b < 0x80) {
        if (b === CR) this.line++;
        else if (b === LF && !this.afterCR) this.line++;
        this.afterCR = b === CR;
        continue;
      }
      this.afterCR = false;
      if (b >= 0xc2 && b <= 0xdf) this.expect(1, 0x80, 0xbf);
      else if (b === 0xe0) this.expect(2, 0xa0, 0xbf);
      else if (b === 0xed) this.expect(2, 0x80, 0x9f);
      else if (b >= 0xe1 && b <= 0xef) this.expect(2, 0x80, 0xbf);
      else if (b === 0xf0) this.expect(3, 0x90, 0xbf);
      else if (b >= 0xf1 && b <= 0xf3) this.expect(3, 0x80, 0xbf);
      else if (b === 0xf4) this.expect(3, 0x80, 0x8f);
      else return this.line;
    }
    return null;
  }

  /** At the end of the file: a sequence cut short is not UTF-8 either. */
  end(): number | null {
    return this.need > 0 ? this.line : null;
  }

  private expect(need: number, low: number, high: number): void {
    this.need = need;
    this.low = low;
    this.high = high;
  }
}

/** The line of the first byte of `bytes` that is not UTF-8, or null when they all are. */
export function firstNonUtf8Line(bytes: Uint8Array): number | null {
  const finder = new Utf8LineFinder();
  return finder.push(bytes) ?? finder.end();
}
