import { describe, expect, it } from 'vitest';
import { joinCredits, splitCredits, splitRole } from './credits.js';

describe('splitRole', () => {
  it.each([
    ['Constance Garnett - translator', { name: 'Constance Garnett', role: 'translator' }],
    ['Stephen Fry - introductions', { name: 'Stephen Fry', role: 'introductions' }],
    ['Lakshmi Lal - adaptation', { name: 'Lakshmi Lal', role: 'adaptation' }],
    ['Jane Doe - Editor', { name: 'Jane Doe', role: 'editor' }],
    ['John Roe - foreword', { name: 'John Roe', role: 'foreword' }],
    ['Ann Lee - introduction and notes', { name: 'Ann Lee', role: 'introduction and notes' }],
    ['Bo Kim - series editor', { name: 'Bo Kim', role: 'series editor' }],
  ])('%s', (entry, expected) => expect(splitRole(entry)).toEqual(expected));

  it.each(['Mary Smith - Jones', 'Jean-Paul Sartre', 'Prince - The Artist', ' - translator', 'A - by', 'Ann Lee - translator of many fine things'])('leaves %j whole', (entry) => {
    expect(splitRole(entry)).toBeNull();
  });
});

describe('splitCredits and joinCredits', () => {
  it('splits, keeps role-only names as authors, and joins back to the same lists', () => {
    const mixed = splitCredits(['Leo Tolstoy', 'Constance Garnett - translator']);
    expect(mixed).toEqual({ authors: ['Leo Tolstoy'], contributors: [{ name: 'Constance Garnett', role: 'translator' }], rolesOnly: false });
    expect(joinCredits(mixed!.authors, mixed!.contributors)).toEqual(['Leo Tolstoy', 'Constance Garnett - translator']);
    const only = splitCredits(['Jane Doe - editor', 'Jane Doe - introduction']);
    expect(only).toEqual({ authors: ['Jane Doe'], contributors: [{ name: 'Jane Doe', role: 'editor' }, { name: 'Jane Doe', role: 'introduction' }], rolesOnly: true });
    expect(splitCredits(joinCredits(only!.authors, only!.contributors))).toEqual(only);
    expect(splitCredits(['Ann Author', 'Mary Smith - Jones'])).toBeNull();
  });
});
