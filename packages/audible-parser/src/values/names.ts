import { splitRole } from './credits.js';
import { Invalid, type Parsed } from './parsed.js';

const NOT_NAMES = new Invalid('expected names separated by ", " or a list of names');

// A ", " before these is part of the previous name ("Martin Luther King, Jr."), not a separator.
const SUFFIX = /^(?:jr|sr|ii|iii|iv|phd|ph\.d|md|esq|inc|ltd|llc|gmbh)\.?$/i;

/** `Jr.`, or `Jr. - editor` (the role belongs to the whole name, `Edmund Pike, Jr.`). */
function isSuffix(part: string): boolean {
  return SUFFIX.test(part) || (part.includes(' - ') && SUFFIX.test(splitRole(part)?.name ?? ''));
}

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
  // Arrays are built at their exact length: an array grown by push keeps spare capacity, which a
  // 100,000-title library pays for twice per title (authors and narrators).
  const parts = value.split(',');
  let kept = 0;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!.trim();
    if (name === '') continue;
    if (kept > 0 && isSuffix(name)) parts[kept - 1] += `, ${name}`;
    else parts[kept++] = name;
  }
  if (kept === 0) return null;
  if (kept < parts.length) return parts.slice(0, kept);
  return parts;
}
