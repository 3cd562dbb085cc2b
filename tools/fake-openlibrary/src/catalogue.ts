/** A small catalogue the test provides: works, their authors and editions, as Open Library models them. */
export interface FakeAuthor {
  /** `OL123A`; derived from the name when absent. */
  key?: string;
  name: string;
  /** Other spellings and scripts (Open Library's `alternate_names`). */
  alternateNames?: string[];
}

export interface FakeEdition {
  /** `OL123M`; numbered when absent. */
  key?: string;
  title?: string;
  isbn10?: string[];
  isbn13?: string[];
}

export interface FakeWork {
  /** `OL123W`. */
  key: string;
  title: string;
  subtitle?: string;
  /** Other titles of the work: regional titles, translations (the search's `alternative_title`). */
  alternativeTitles?: string[];
  authors: FakeAuthor[];
  editions?: FakeEdition[];
}

/** Lower case, no diacritics, words split on anything else: how the fake compares query words. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Resolved keys and editions, so answers are stable. */
export interface IndexedWork extends FakeWork {
  authors: (FakeAuthor & { key: string })[];
  editions: (FakeEdition & { key: string })[];
}

export function indexCatalogue(works: readonly FakeWork[]): IndexedWork[] {
  const authorKeys = new Map<string, string>();
  let edition = 1;
  return works.map((work) => ({
    ...work,
    authors: work.authors.map((a) => {
      let key = a.key ?? authorKeys.get(a.name);
      if (!key) {
        key = `OL${authorKeys.size + 1}A`;
        authorKeys.set(a.name, key);
      }
      return { ...a, key };
    }),
    editions: (work.editions ?? []).map((e) => ({ ...e, key: e.key ?? `OL${edition++}M` })),
  }));
}
