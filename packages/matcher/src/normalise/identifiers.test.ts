import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanIdentifier, isbn10To13, isbn13To10, isbnsOfAsin, isValidIsbn10, isValidIsbn13, parseAsin, parseIsbn } from './identifiers.js';

describe('cleanIdentifier', () => {
  it.each([
    ['="0441013597"', '0441013597'],
    ['=""', ''],
    ['978-0-441-01359-3', '9780441013593'],
    [' 0-8044-2957-x ', '080442957X'],
    ['"9780441013593"', '9780441013593'],
    [null, ''],
  ])('%s -> %s', (raw, clean) => expect(cleanIdentifier(raw)).toBe(clean));
});

describe('ISBN checksums and conversion', () => {
  it('validates real ISBNs and rejects typos', () => {
    expect(isValidIsbn10('0441013597')).toBe(true);
    expect(isValidIsbn10('0441013598')).toBe(false);
    expect(isValidIsbn10('080442957X')).toBe(true);
    expect(isValidIsbn13('9780441013593')).toBe(true);
    expect(isValidIsbn13('9780441013594')).toBe(false);
    expect(isValidIsbn13('1234567890128')).toBe(false); // valid checksum but not a 978/979 prefix
  });

  it('converts between the two forms', () => {
    expect(isbn10To13('0441013597')).toBe('9780441013593');
    expect(isbn13To10('9780441013593')).toBe('0441013597');
    expect(isbn13To10('9780804429573')).toBe('080442957X');
    expect(isbn13To10('9791032305690')).toBeNull(); // 979 has no ISBN-10
  });

  it('round-trips every valid ISBN-10', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), (digits) => {
        const body = digits.join('');
        let sum = 0;
        for (let i = 0; i < 9; i++) sum += (10 - i) * digits[i]!;
        const check = (11 - (sum % 11)) % 11;
        const isbn10 = body + (check === 10 ? 'X' : String(check));
        const isbn13 = isbn10To13(isbn10);
        expect(isbn13 && isValidIsbn13(isbn13)).toBe(true);
        expect(isbn13To10(isbn13!)).toBe(isbn10);
      }),
    );
  });

  it('parseIsbn gives both forms, and tells empty from invalid', () => {
    expect(parseIsbn('="0441013597"')).toEqual({ isbn10: '0441013597', isbn13: '9780441013593', valid: true, empty: false });
    expect(parseIsbn('=""')).toMatchObject({ valid: false, empty: true });
    expect(parseIsbn('12345')).toMatchObject({ isbn10: null, isbn13: null, valid: false, empty: false });
  });
});

describe('ASINs', () => {
  it('recognises B0 ASINs and treats ISBN-10 ASINs as ISBNs', () => {
    expect(parseAsin('b08zyqt962')).toBe('B08ZYQT962');
    expect(parseAsin('9780441013593')).toBeNull();
    expect(isbnsOfAsin('0441013597')).toEqual(['9780441013593']);
    expect(isbnsOfAsin('B08ZYQT962')).toEqual([]);
  });
});
