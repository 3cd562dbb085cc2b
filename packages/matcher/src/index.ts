/**
 * @sagasync/matcher: identity and fuzzy matching of Audible titles to tracker books, and the
 * tracker export readers (Goodreads, StoryGraph, generic CSV).
 */
// Pure engine (no storage): for the Notion adopt step and anything else that needs identity.
export { createMatcher, createAllPairsMatcher, type Matcher } from './matcher.js';
export type { AutoLinkMethod, MatchableBook, MatchableTitle, MatchCandidate, MatcherOptions, MatchOutcome } from './decide/types.js';

// Building blocks.
export { similarity, setSimilarity, trigramSet, trigramWords, showTrigrams } from './similarity/trigram.js';
export { TrigramIndex } from './index/candidate-index.js';
export { normaliseTitle, type TitleForms } from './normalise/title.js';
export { authorKey, authorKeys, compareAuthorLists, compareNames, parseAuthorList, type AuthorAgreement, type AuthorKey, type NameMatch } from './normalise/author.js';
export { cleanIdentifier, isbn10To13, isbn13To10, isbnsOfAsin, isValidIsbn10, isValidIsbn13, parseAsin, parseIsbn } from './normalise/identifiers.js';
export { foldText } from './normalise/fold.js';

// The online step: Open Library, asked about what the matcher leaves open (only when a caller asks for it).
export { createOpenLibraryClient, DEFAULT_USER_AGENT, OPENLIBRARY_URL, type OpenLibraryClient, type OpenLibraryClientOptions, type OpenLibraryStats } from './online/openlibrary-client.js';
export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './online/rate-limiter.js';
export { memoryAnswerCache, storeAnswerCache, OPENLIBRARY_CACHE_DAYS, OPENLIBRARY_CACHE_KIND, type AnswerCache } from './online/answer-cache.js';
export { gatherEvidence, type GatherOptions } from './online/gather-evidence.js';
export { decideWithEvidence } from './online/decide-with-evidence.js';
export type { BookEvidence, OnlineEvidence, PairVerdict } from './online/evidence.js';

// Tracker export readers.
export { detectSource, readTrackerFile, readTrackerText, type TrackerReadResult } from './sources/read-tracker-file.js';
export { deriveTrackerId } from './sources/tracker-id.js';
export {
  ColumnMappingSchema,
  FILE_SOURCES,
  ReadTrackerOptionsSchema,
  TrackerBookInputSchema,
  type ColumnMapping,
  type FileSource,
  type ReadSpan,
  type ReadTrackerOptions,
  type TrackerBookInput,
  type TrackerFile,
  type TrackerRowDetails,
} from './sources/types.js';

// Store-facing use cases for the CLI and the server.
export { conflictIdFor, type MatcherDeps } from './use-cases/deps.js';
export {
  runMatch,
  type MatchRunResult,
  type OnlineSummary,
  type RunMatchOptions,
} from './use-cases/run-match.js';
export {
  checkTrackerBooks,
  planMatch,
  toMatchJson,
  type LinkChange,
  type MatchJson,
  type MatchPlan,
  type MatchReport,
  type MatchState,
  type MatchWriteCounts,
  type MatchWriteGroup,
  type PlanMatchOptions,
  titlesToMatch,
  type ReportConflict,
  type ReportLink,
  type ReportUnmatched,
} from './use-cases/plan-match.js';
export { linkManually, resolveConflict, unlink, type ManualLinkOutcome, type ResolveOutcome, type UnlinkOutcome } from './use-cases/decide-by-hand.js';
export { listConflicts, pageConflicts, type ConflictView } from './use-cases/list-conflicts.js';
