import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setSimilarity, showTrigrams, similarity, trigramSet, trigramWords } from './trigram.js';

interface Fixture {
  server: string;
  pairs: { a: string; b: string; similarity: number; trigramCount: number | null }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/pg-trgm-similarity.json', import.meta.url), 'utf8')) as Fixture;

describe('similarity (pg_trgm fidelity)', () => {
  it('has a few hundred reference pairs computed by PostgreSQL', () => {
    expect(fixture.pairs.length).toBeGreaterThanOrEqual(200);
    expect(fixture.server).toContain('PostgreSQL');
  });

  it.each(fixture.pairs.map((p, i) => [i, p] as const))('pair %i matches similarity() and show_trgm() counts', (_i, pair) => {
    expect(Math.abs(similarity(pair.a, pair.b) - pair.similarity)).toBeLessThan(1e-6);
    expect(trigramSet(pair.a).length).toBe(pair.trigramCount ?? 0);
  });
});

describe('trigram basics', () => {
  it('renders the same trigrams as show_trgm(), hashed multibyte ones included', () => {
    // Copied from `select show_trgm(...)` on the PostgreSQL 15 cluster that produced the fixture.
    const pg = {
      'Ünïcode Straße ΣΟΦΙΑ İstanbul':
        '0x8c1b15,0x94c17f,0x9ab6cb,0x9a07c3,0xbe2a39,0xde3801,0xff4322,0x0dcaf5,0x0d7f89,  i,  s, is, st,0x23b3e5,0x2e497c,0x57bc55,anb,bul,cod,de ,ist,nbu,ode,0x73b50b,sta,str,tan,tra,ul ,0x76a40e',
      'x½²٣ 三体森林': '0x802e19,0xa9ebeb,0xc95887,0xeee28e,0x070109,0x104a0b,  x, x ,0x598674',
    };
    for (const [text, expected] of Object.entries(pg)) expect(showTrigrams(text).sort()).toEqual(expected.split(',').sort());
  });

  it('pads each word with two spaces in front and one behind', () => {
    // "  a", " a " for a one-letter word; "  d", " du", "dun", "une", "ne " for dune.
    expect(trigramSet('a').length).toBe(2);
    expect(trigramSet('dune').length).toBe(5);
  });

  it('treats punctuation as word separators and ignores case', () => {
    expect(trigramWords('J.R.R. Tolkien')).toEqual(['j', 'r', 'r', 'tolkien']);
    expect(similarity('DUNE', 'dune')).toBe(1);
  });

  it('is symmetric, bounded and 1 for equal non-empty word content', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = similarity(a, b);
        expect(s).toBe(similarity(b, a));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        if (trigramSet(a).length > 0) expect(setSimilarity(trigramSet(a), trigramSet(a))).toBe(1);
      }),
    );
  });
});
