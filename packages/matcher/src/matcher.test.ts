import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MatchableBook, MatchableTitle } from './decide/types.js';
import { createAllPairsMatcher, createMatcher } from './matcher.js';

const t = (asin: string, title: string, authors: string[], extra: Partial<MatchableTitle> = {}): MatchableTitle => ({ asin, title, authors, ...extra });
const b = (trackerId: string, title: string, authors: string[], extra: Partial<MatchableBook> = {}): MatchableBook => ({ trackerId, title, authors, ...extra });

const library: MatchableTitle[] = [
  t('B000000001', 'Dune', ['Frank Herbert'], { series: [{ seriesTitle: 'Dune', sequence: '1' }] }),
  t('B000000002', 'Dune Messiah', ['Frank Herbert'], { series: [{ seriesTitle: 'Dune', sequence: '2' }] }),
  t('B000000003', 'Dune: House Atreides', ['Brian Herbert', 'Kevin J. Anderson']),
  t('B000000004', 'The Fellowship of the Ring', ['J. R. R. Tolkien'], { subtitle: 'Book One in the Lord of the Rings Trilogy', series: [{ seriesTitle: 'The Lord of the Rings', sequence: '1' }] }),
  t('B000000005', 'The Lord of the Rings', ['J. R. R. Tolkien'], { subtitle: 'Books 1-3', series: [{ seriesTitle: 'The Lord of the Rings', sequence: '1-3' }] }),
  t('B000000006', 'Sapiens', ['Yuval Noah Harari'], { subtitle: 'A Brief History of Humankind' }),
  t('B000000007', 'The Final Empire', ['Brandon Sanderson'], { subtitle: 'Mistborn, Book 1', series: [{ seriesTitle: 'Mistborn', sequence: '1' }] }),
  t('B000000008', 'Misery', ['Stephen King']),
  t('0441013597', 'Dune (Audio Edition)', ['Frank Herbert']),
  t('B000000009', 'Foundation', ['Isaac Asimov'], { subtitle: 'BBC Radio Dramatization' }),
  t('B000000010', 'Harry Potter and the Chamber of Secrets', ['J.K. Rowling'], { series: [{ seriesTitle: 'Harry Potter', sequence: '2' }] }),
  t('B000000011', 'Harry Potter and the Prisoner of Azkaban', ['J.K. Rowling'], { series: [{ seriesTitle: 'Harry Potter', sequence: '3' }] }),
  // No author: reachable only through the trigram index, and never linked without a person.
  t('B000000012', 'Tales of the Dune Sea', ['Various']),
];
const matcher = createMatcher(library);

describe('createMatcher', () => {
  it('links by ASIN first, then ISBN', () => {
    expect(matcher.match(b('1', 'Whatever', [], { asin: 'B000000008' }))).toMatchObject({ kind: 'link', asin: 'B000000008', method: 'asin', score: 1 });
    expect(matcher.match(b('2', 'Dune', ['Frank Herbert'], { isbn13: '9780441013593' }))).toMatchObject({ kind: 'link', asin: '0441013597', method: 'isbn' });
  });

  it('links a Goodreads title with its series suffix and reversed author', () => {
    expect(matcher.match(b('3', 'Dune Messiah (Dune, #2)', ['Herbert, Frank']))).toMatchObject({ kind: 'link', asin: 'B000000002', method: 'title_author' });
    expect(matcher.match(b('4', 'The Final Empire (Mistborn, #1)', ['Brandon Sanderson']))).toMatchObject({ kind: 'link', asin: 'B000000007' });
    expect(matcher.match(b('5', 'Sapiens: A Brief History of Humankind', ['Yuval Noah Harari']))).toMatchObject({ kind: 'link', asin: 'B000000006' });
    expect(matcher.match(b('6', 'The Fellowship of the Ring (The Lord of the Rings, #1)', ['J.R.R. Tolkien']))).toMatchObject({ kind: 'link', asin: 'B000000004' });
  });

  it('never links the same title by another author', () => {
    expect(matcher.match(b('7', 'Misery', ['Mary Smith']))).toMatchObject({ kind: 'none' });
  });

  it('never links a spin-off by another hand or a dramatisation to the original', () => {
    const house = matcher.match(b('8', 'House Atreides (Prelude to Dune, #1)', ['Frank Herbert']));
    expect(house.kind).toBe('none');
    const foundation = matcher.match(b('9', 'Foundation (Foundation, #1)', ['Isaac Asimov']));
    expect(foundation.kind).toBe('conflict');
    expect(foundation.candidates[0]?.blockers.join()).toMatch(/derivative/);
  });

  it('never links an omnibus to a single volume', () => {
    const out = matcher.match(b('10', 'The Lord of the Rings (The Lord of the Rings, #1-3)', ['J.R.R. Tolkien']));
    expect(out).toMatchObject({ kind: 'link', asin: 'B000000005' });
    const single = matcher.match(b('11', 'The Two Towers (The Lord of the Rings, #2)', ['J.R.R. Tolkien']));
    expect(single.kind).toBe('none');
  });

  it('does not let a franchise prefix or a subtitle stand in for a different series or volume', () => {
    // "Dune: House Atreides" mis-attributed to Frank Herbert: the main title "Dune" matches, the series do not.
    expect(matcher.match(b('15', 'Dune: House Atreides (Prelude to Dune, #1)', ['Frank Herbert'])).kind).not.toBe('link');
    // "Chapterhouse: Dune" is Dune #6: its subtitle equals the title "Dune" (#1), the positions differ.
    expect(matcher.match(b('16', 'Chapterhouse: Dune (Dune, #6)', ['Frank Herbert'])).kind).not.toBe('link');
  });

  it('does not link a different volume of the same series', () => {
    expect(matcher.match(b('12', 'Harry Potter and the Goblet of Fire (Harry Potter, #4)', ['J.K. Rowling'])).kind).not.toBe('link');
  });

  it('makes a conflict with ranked candidates when two titles tie', () => {
    const twins = createMatcher([t('B00000000A', 'Misery', ['Stephen King']), t('B00000000B', 'Misery', ['Stephen King'], { subtitle: 'Unabridged' })]);
    const out = twins.match(b('13', 'Misery', ['Stephen King']));
    expect(out.kind).toBe('conflict');
    expect(out.candidates.map((c) => c.asin).sort()).toEqual(['B00000000A', 'B00000000B']);
    expect(out.reason).toMatch(/within/);
  });

  it('asks a person rather than linking when a title names no author', () => {
    const out = matcher.match(b('17', 'Tales of the Dune Sea', ['Frank Herbert']));
    expect(out).toMatchObject({ kind: 'conflict', candidates: [{ asin: 'B000000012' }] });
    expect(out.candidates[0]!.blockers).toContain('no author to compare');
  });

  it('respects excluded ASINs', () => {
    expect(matcher.match(b('14', 'Misery', ['Stephen King']), { exclude: new Set(['B000000008']) }).kind).toBe('none');
  });

  it('decides exactly as the all-pairs baseline', () => {
    const naive = createAllPairsMatcher(library);
    const words = fc.constantFrom('tales', 'sea', 'dune', 'messiah', 'the', 'ring', 'lord', 'of', 'rings', 'sapiens', 'final', 'empire', 'harry', 'potter', 'misery', 'foundation', 'house', 'atreides', 'secrets', 'chamber');
    const authors = fc.constantFrom(['Frank Herbert'], ['J.R.R. Tolkien'], ['Stephen King'], ['J.K. Rowling'], ['Isaac Asimov'], ['Brandon Sanderson'], [] as string[]);
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 6 }), authors, (title, author) => {
        const book = b('x', title.join(' '), author);
        expect(matcher.match(book)).toEqual(naive.match(book));
      }),
      { numRuns: 300 },
    );
  });
});
