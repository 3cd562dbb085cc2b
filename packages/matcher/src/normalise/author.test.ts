import { describe, expect, it } from 'vitest';
import { authorKey, authorKeys, compareAuthorLists, compareNames, parseAuthorList } from './author.js';

const key = (name: string) => authorKey(name)!;

describe('parseAuthorList', () => {
  it.each([
    ['Frank Herbert', ['Frank Herbert']],
    ['Tolkien, J.R.R.', ['J.R.R. Tolkien']],
    ['Le Guin, Ursula K.', ['Ursula K. Le Guin']],
    ['Terry Pratchett, Neil Gaiman', ['Terry Pratchett', 'Neil Gaiman']],
    ['Terry Pratchett & Neil Gaiman', ['Terry Pratchett', 'Neil Gaiman']],
    ['Haruki Murakami; Jay Rubin (Translator)', ['Haruki Murakami']],
    ['Haruki Murakami, Jay Rubin - translator', ['Haruki Murakami']],
    ['Martin Luther King, Jr.', ['Martin Luther King']],
    ['Douglas Preston, Lincoln Child', ['Douglas Preston', 'Lincoln Child']],
    ['Ray Porter (Narrator)', []],
    ['', []],
  ])('%s', (raw, expected) => expect(parseAuthorList(raw)).toEqual(expected));
});

describe('compareNames', () => {
  it('treats initials written either way as the same person', () => {
    expect(compareNames(key('J.R.R. Tolkien'), key('J. R. R. Tolkien'))).toBe('same');
    expect(compareNames(key('J.R.R. Tolkien'), key('John Ronald Reuel Tolkien'))).toBe('same');
    expect(compareNames(key('Ursula K. Le Guin'), key('Ursula K. LeGuin'))).toBe('same');
    expect(compareNames(key('Gabriel García Márquez'), key('Gabriel Garcia Marquez'))).toBe('same');
    expect(compareNames(key('Cixin Liu'), key('Liu Cixin'))).toBe('same');
    expect(compareNames(key('Dr. Seuss'), key('Seuss'))).toBe('surname');
    expect(compareNames(key('Miguel de Cervantes'), key('Miguel de Cervantes Saavedra'))).toBe('same');
  });

  it('tells relatives and namesakes apart', () => {
    expect(compareNames(key('Brian Herbert'), key('Frank Herbert'))).toBe('different');
    expect(compareNames(key('Christopher Tolkien'), key('J.R.R. Tolkien'))).toBe('different');
    expect(compareNames(key('Stephen King'), key('Owen King'))).toBe('different');
  });

  it('sees a one-letter slip in a long surname as weak agreement only', () => {
    expect(compareNames(key('Brandon Sanderson'), key('Brandon Sandersen'))).toBe('weak');
  });
});

describe('compareAuthorLists', () => {
  it('agrees when any author is shared, ignoring translators', () => {
    expect(compareAuthorLists(authorKeys(['Haruki Murakami', 'Jay Rubin (Translator)']), authorKeys(['Murakami, Haruki']))).toBe('agree');
    expect(compareAuthorLists(authorKeys(['Terry Pratchett', 'Neil Gaiman']), authorKeys(['Neil Gaiman']))).toBe('agree');
  });

  it('disagrees on another author and is unknown without authors', () => {
    expect(compareAuthorLists(authorKeys(['Brian Herbert', 'Kevin J. Anderson']), authorKeys(['Frank Herbert']))).toBe('disagree');
    expect(compareAuthorLists(authorKeys(['Various']), authorKeys(['Frank Herbert']))).toBe('unknown');
    expect(compareAuthorLists([], authorKeys(['Frank Herbert']))).toBe('unknown');
  });
});

describe('authors in two scripts or spellings', () => {
  const lists = (a: string[], b: string[]) => compareAuthorLists(authorKeys(a), authorKeys(b));
  it('romanises Cyrillic and Greek names and compares the spellings loosely (weak: titles must agree)', () => {
    expect(lists(['Михаил Булгаков'], ['Mikhail Bulgakov'])).toBe('agree');
    expect(lists(['Νίκος Καζαντζάκης'], ['Nikos Kazantzakis'])).toBe('agree');
    expect(lists(['Фёдор Достоевский'], ['Fyodor Dostoyevsky'])).toBe('weak');
    expect(lists(['Лев Толстой'], ['Leo Tolstoy'])).toBe('weak');
    expect(lists(['Anton Chehov'], ['Anton Chekhov'])).toBe('weak');
    expect(lists(['Лев Толстой'], ['Leo Tolstoy', 'Richard Pevear (Translator)'])).toBe('weak');
    expect(lists(['John Smith'], ['Jane Smith'])).toBe('disagree');
  });
  it('leaves names in kanji as written and says they cannot be compared offline', () => {
    expect(lists(['村上春樹'], ['Haruki Murakami'])).toBe('other_script');
    expect(lists(['村上春樹'], ['村上春樹'])).toBe('agree');
    expect(lists(['P.G. Wodehouse'], ['P. G. Wodehouse'])).toBe('agree');
  });
});
