import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorKey, compareNames } from '../normalise/author.js';
import { AuthorIndex } from './author-index.js';

describe('AuthorIndex', () => {
  it('finds every title whose author compareNames does not call different', () => {
    const token = fc.constantFrom('j', 'r', 'john', 'ronald', 'tolkien', 'tolkein', 'tolkin', 'le', 'guin', 'leguin', 'ursula', 'k', 'liu', 'cixin', 'miguel', 'de', 'cervantes', 'saavedra', 'brian', 'frank', 'herbert', 'sanderson', 'sandersen', 'brandon');
    const name = fc.array(token, { minLength: 1, maxLength: 4 }).map((t) => t.join(' '));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 30 }), name, (names, query) => {
        const index = new AuthorIndex();
        const keys = names.map((n) => authorKey(n)!);
        keys.forEach((k, i) => index.add(i, [k]));
        const q = authorKey(query)!;
        const found = new Set(index.lookup([q]));
        keys.forEach((k, i) => {
          if (compareNames(q, k) !== 'different') expect(found.has(i)).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('does not put namesakes with different surnames together', () => {
    const index = new AuthorIndex();
    index.add(1, [authorKey('James Clear')!]);
    index.add(2, [authorKey('P. D. James')!]);
    index.add(3, [authorKey('James Joyce')!]);
    expect(index.lookup([authorKey('James Smith')!])).toEqual([2]);
  });
});
