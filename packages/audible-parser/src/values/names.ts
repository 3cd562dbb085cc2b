import { Invalid, type Parsed } from './parsed.js';

const NOT_NAMES = new Invalid('expected names separated by ", " or a list of names');

// A ", " before these is part of the previous name ("Martin Luther King, Jr."), not a separator.
const SUFFIX = /^(?:jr|sr|ii|iii|iv|phd|ph\.d|md|esq|inc|ltd|llc|gmbh)\.?$/i;

/**
 * Contributor names as the exports join them: `"A, B"` (comma and space). Name suffixes such as
 * `Jr.` and company suffixes such as `Inc.` are kept with the name before them. JSON arrays of
 * names are accepted as they are.
 */
export function parseNames(value: unknown): Parsed<string[]> {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      if (typeof item !== 'string') return NOT_NAMES;
      const name = item.trim();
      if (name !== '') out.push(name);
    }
    return out;
  }
  if (typeof value !== 'string') return NOT_NAMES;
  if (value === '') return null;
  if (value.indexOf(',') === -1) {
    const name = value.trim();
    return name === '' ? null : [name];
  }
  const out: string[] = [];
  for (const part of value.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (out.length > 0 && SUFFIX.test(name)) out[out.length - 1] += `, ${name}`;
    else out.push(name);
  }
  return out.length === 0 ? null : out;
}
