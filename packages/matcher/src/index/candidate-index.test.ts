import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setSimilarity, trigramSet } from '../similarity/trigram.js';
import { TrigramIndex } from './candidate-index.js';

describe('TrigramIndex', () => {
  it('finds exactly the entries an all-pairs scan finds at or above the threshold', () => {
    const word = fc.constantFrom('dune', 'messiah', 'children', 'of', 'the', 'god', 'emperor', 'heretics', 'house', 'atreides', 'harkonnen', 'ring', 'lord', 'rings', 'two', 'towers', 'x', 'q');
    const phrase = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(phrase, { minLength: 1, maxLength: 40 }), phrase, fc.constantFrom(0.1, 0.2, 0.3, 0.52, 0.7, 1), (entries, query, threshold) => {
        const index = new TrigramIndex(threshold);
        const sets = entries.map((e) => trigramSet(e));
        sets.forEach((set, i) => index.add(i, set));
        const q = trigramSet(query);
        const found = index.search(q);
        const expected = new Map<number, number>();
        sets.forEach((set, i) => {
          const s = setSimilarity(q, set);
          if (s >= threshold) expected.set(i, s);
        });
        expect(new Map([...found].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...expected].sort((a, b) => a[0] - b[0])));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the best similarity when an owner has several entries', () => {
    const index = new TrigramIndex(0.3);
    index.add(7, trigramSet('sapiens'));
    index.add(7, trigramSet('sapiens a brief history of humankind'));
    expect(index.search(trigramSet('sapiens')).get(7)).toBe(1);
  });
});
