import { createMatcher, type MatcherOptions } from '@sagasync/matcher';
import type { TrackerMatcherFactory } from './adoption.js';

/** The adopt step's matcher: @sagasync/matcher's engine over the titles that have no page yet. */
export function matcherFactory(options: MatcherOptions = {}): TrackerMatcherFactory {
  return (titles) => {
    const engine = createMatcher(titles, options);
    return (book, exclude) => {
      const outcome = engine.match(book, { exclude });
      if (outcome.kind === 'link') return { kind: 'match', asin: outcome.asin, method: outcome.method, score: outcome.score };
      if (outcome.kind === 'conflict') {
        return { kind: 'ambiguous', reason: outcome.reason, candidates: outcome.candidates.map((c) => ({ asin: c.asin, score: c.score, reason: c.reason })) };
      }
      return { kind: 'none' };
    };
  };
}
