import { describe, expect, it } from 'vitest';
import { chunkDecoder, decodeBytes, headEncoding, NotUtf8Error } from './decode.js';
import { firstNonUtf8Line, Utf8LineFinder } from './utf8-line.js';

describe('Utf8LineFinder', () => {
  it('agrees with TextDecoder on what is UTF-8, and names the line (CRLF, LF, CR)', () => {
    expect(firstNonUtf8Line(Buffer.from('a\r\nb\nc\rdé🎧\n'))).toBeNull();
    expect(firstNonUtf8Line(Buffer.from('a\r\nb\nc\rd\xe9\n', 'latin1'))).toBe(4);
    for (const bad of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0x80], [0xe2, 0x82]]) {
      expect(firstNonUtf8Line(Uint8Array.from(bad))).toBe(1);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bad))).toThrow();
    }
  });

  it('follows a sequence cut between pieces', () => {
    const bytes = Buffer.from('x\n€\n', 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const finder = new Utf8LineFinder();
      expect(finder.push(bytes.subarray(0, cut)) ?? finder.push(bytes.subarray(cut)) ?? finder.end()).toBeNull();
    }
  });
});

describe('decoding', () => {
  it('throws NotUtf8Error on the first piece that is not UTF-8, completes a character cut between pieces', () => {
    const decoder = chunkDecoder('utf-8');
    const euro = Buffer.from('€', 'utf8');
    expect(decoder.write(euro.subarray(0, 1)) + decoder.write(euro.subarray(1)) + decoder.end()).toBe('€');
    expect(() => chunkDecoder('utf-8').write(Buffer.from('Caf\xe9 Society', 'latin1'))).toThrow(NotUtf8Error);
    // At the end of a piece, \xe9 may start a character the next piece completes; at the end of the file, it cannot.
    const cut = chunkDecoder('utf-8');
    expect(cut.write(Buffer.from('Caf\xe9', 'latin1'))).toBe('Caf');
    expect(() => cut.end()).toThrow(NotUtf8Error);
  });

  it('Windows-1252 drops a UTF-8 BOM; a head cut inside a character is still UTF-8', () => {
    expect(decodeBytes(Buffer.from('\xef\xbb\xbfCaf\xe9', 'latin1'))).toEqual({ text: 'Café', encoding: 'windows-1252' });
    expect(headEncoding(Buffer.from('ab€', 'utf8').subarray(0, 3))).toBe('utf-8');
    expect(headEncoding(Buffer.from('Caf\xe9!', 'latin1'))).toBe('windows-1252');
  });
});
