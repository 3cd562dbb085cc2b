import type { SeriesPosition } from '@sagasync/core';

/** What the matcher needs of an Audible title; a core `Title` or `TitleRecord` fits as is. */
export interface MatchableTitle {
  asin: string;
  title: string;
  subtitle?: string | null;
  authors: readonly string[];
  series?: readonly { seriesTitle: string; sequence?: string | null; position?: SeriesPosition }[];
  /** Extra ISBNs known for the title (besides the ISBN-10 an older ASIN is). */
  isbns?: readonly string[];
}

/** What the matcher needs of a tracker book; a core `TrackerBook` fits as is. */
export interface MatchableBook {
  trackerId: string;
  title: string;
  authors: readonly string[];
  isbn10?: string | null;
  isbn13?: string | null;
  asin?: string | null;
  seriesHint?: { title: string; sequence: string } | null;
}

/** The automatic methods; `manual` links come from people, not from the matcher. */
export type AutoLinkMethod = 'asin' | 'isbn' | 'title_author';

export interface MatchCandidate {
  asin: string;
  /** 0..1; 1 for identifier matches. */
  score: number;
  method: AutoLinkMethod;
  /** Why this score, for people reading a conflict: "title 0.93, authors agree, series #1 agrees". */
  reason: string;
  /** What stops this candidate from linking on its own, however high it scores. */
  blockers: string[];
}

export type MatchOutcome =
  | { kind: 'link'; asin: string; method: AutoLinkMethod; score: number; reason: string; candidates: MatchCandidate[] }
  | { kind: 'conflict'; reason: string; candidates: MatchCandidate[] }
  | { kind: 'none'; reason: string; candidates: MatchCandidate[] };

export interface MatcherOptions {
  /** A fuzzy candidate links only at or above this score. Default 0.82. */
  linkThreshold?: number;
  /** ...and only when it beats the runner-up by this much. Default 0.06. */
  margin?: number;
  /** Below this nobody is asked: no conflict, no link. Default 0.6. */
  conflictThreshold?: number;
  /** Candidates listed in a conflict, best first. Default 5. */
  maxCandidates?: number;
}

export interface ResolvedMatcherOptions {
  linkThreshold: number;
  margin: number;
  conflictThreshold: number;
  maxCandidates: number;
}

export function resolveOptions(options: MatcherOptions = {}): ResolvedMatcherOptions {
  return {
    linkThreshold: options.linkThreshold ?? 0.82,
    margin: options.margin ?? 0.06,
    conflictThreshold: options.conflictThreshold ?? 0.6,
    maxCandidates: options.maxCandidates ?? 5,
  };
}
