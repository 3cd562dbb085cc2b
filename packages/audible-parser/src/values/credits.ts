import type { Contributor } from '@sagasync/core';

/**
 * Audible credits people other than authors in the author list, as `Name - role`
 * (`Constance Garnett - translator`, `Stephen Fry - introductions`); audible-cli and Libation copy
 * those names into their author column. Only a role made of these words is split off, so a
 * hyphenated surname (`Mary Smith - Jones`) or any other ` - ` stays part of the name. Narrators are
 * a separate list and never split.
 */
const ROLE_WORDS = new Set([
  'abridger', 'abridgement', 'abridgment', 'adaptation', 'adapted', 'adapter', 'adaptor', 'afterword', 'annotations',
  'annotator', 'commentary', 'compiled', 'compiler', 'contributor', 'contributors', 'dramatisation', 'dramatization',
  'edited', 'editor', 'editor-in-chief', 'editors', 'epilogue', 'essay', 'essays', 'foreword', 'forewords', 'illustrated',
  'illustrations', 'illustrator', 'introduced', 'introduction', 'introductions', 'notes', 'preface', 'prologue',
  'retold', 'reteller', 'translated', 'translation', 'translator', 'translators',
]);
/** Words that may stand beside a role word (`series editor`, `translated by`, `new translation`). */
const ROLE_FILLERS = new Set(['additional', 'by', 'general', 'new', 'original', 'series', 'with', 'and', '&']);

const SEPARATOR = ' - ';

/** `translator`, `introduction and notes`, `series editor`: role words, fillers, at most four words. */
function isRole(text: string): boolean {
  const words = text.split(/[\s,/]+/).filter((w) => w !== '');
  if (words.length === 0 || words.length > 4) return false;
  let roleWords = 0;
  for (const word of words) {
    if (ROLE_WORDS.has(word)) roleWords++;
    else if (!ROLE_FILLERS.has(word)) return false;
  }
  return roleWords > 0;
}

/** `Constance Garnett - translator` -> `{ name, role }` (role lower-cased); null when it names no role. */
export function splitRole(entry: string): Contributor | null {
  const at = entry.lastIndexOf(SEPARATOR);
  if (at <= 0) return null;
  const name = entry.slice(0, at).trim();
  const role = entry.slice(at + SEPARATOR.length).trim().toLowerCase();
  return name !== '' && isRole(role) ? { name, role } : null;
}

/** An author list with the people credited in another role taken out. */
export interface Credits {
  /** Authors, in the list's order. */
  authors: string[];
  /** People credited with a role, in the list's order. */
  contributors: Contributor[];
  /**
   * Every name carried a role, so the list names no author: the names are kept as authors too
   * (something must be), and the caller says so.
   */
  rolesOnly: boolean;
}

/** Splits roles off an author list; null when no name carries one (the common case, kept cheap). */
export function splitCredits(names: readonly string[]): Credits | null {
  let any = false;
  for (const name of names) if (name.includes(SEPARATOR)) any = true;
  if (!any) return null;
  const authors: string[] = [];
  const contributors: Contributor[] = [];
  for (const name of names) {
    const credited = splitRole(name);
    if (credited === null) authors.push(name);
    else contributors.push(credited);
  }
  if (contributors.length === 0) return null;
  if (authors.length > 0) return { authors, contributors, rolesOnly: false };
  return { authors: [...new Set(contributors.map((c) => c.name))], contributors, rolesOnly: true };
}

/** `Leo Tolstoy, Constance Garnett - translator` again, from a split list (the writers' way back). */
export function joinCredits(authors: readonly string[], contributors: readonly Contributor[] | undefined): string[] {
  if (!contributors || contributors.length === 0) return [...authors];
  const credited = contributors.map((c) => `${c.name}${SEPARATOR}${c.role}`);
  // Authors kept only because every name had a role were not in the list on their own.
  const named = new Set(contributors.map((c) => c.name));
  const rolesOnly = authors.length > 0 && authors.every((a) => named.has(a));
  return rolesOnly ? credited : [...authors, ...credited];
}
