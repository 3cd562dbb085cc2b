/** What Open Library said about one tracker book and its candidates: the input of `decideWithEvidence`. */
export interface BookEvidence {
  /** Open Library works the book is (found by its ISBN or by its exact title and author). */
  works: string[];
  /** Every title Open Library gives those works (other regions' titles, translations, the original). */
  titles: string[];
  /** Their authors' names, in every form Open Library knows (村上春樹 and Haruki Murakami). */
  authors: string[];
  /** Per candidate ASIN: the same work as the book or not. Pairs Open Library could not place are absent. */
  pairs: Record<string, PairVerdict>;
}

export type PairVerdict = { same: true; by: 'work' | 'isbn'; work: string } | { same: false; works: string[] };

/** Evidence per tracker id. */
export type OnlineEvidence = ReadonlyMap<string, BookEvidence>;
