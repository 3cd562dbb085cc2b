import type { MatchCandidate, MatchOutcome, ResolvedMatcherOptions } from './types.js';

/**
 * Fuzzy candidates below this score are dropped before deciding. Nothing below the conflict
 * threshold can change a decision: it is never listed, and as a runner-up it could only matter
 * within the margin of a best score at the link threshold, which lies far above.
 */
export function candidateFloor(options: ResolvedMatcherOptions): number {
  return Math.min(options.conflictThreshold, Math.max(0.05, options.linkThreshold - options.margin));
}

const METHOD_RANK = { asin: 3, isbn: 2, title_author: 1 } as const;

function byStrength(a: MatchCandidate, b: MatchCandidate): number {
  return METHOD_RANK[b.method] - METHOD_RANK[a.method] || b.score - a.score || (a.asin < b.asin ? -1 : a.asin > b.asin ? 1 : 0);
}

/**
 * Turns scored candidates into a link, a conflict or nothing. Identifiers win outright when they
 * point at one title; a fuzzy candidate links only when it clears the threshold, has no blocker
 * and beats the runner-up by the margin. Anything else at or above the conflict threshold goes to
 * a person, with the ranked candidates and the reason.
 */
export function decide(candidates: MatchCandidate[], options: ResolvedMatcherOptions): MatchOutcome {
  // Weak fuzzy candidates neither compete as runner-up nor get listed; the floor is what the
  // candidate index guarantees to find, so indexed and all-pairs matching decide alike.
  const floor = candidateFloor(options);
  const ranked = candidates.filter((c) => c.method !== 'title_author' || c.score >= floor).sort(byStrength);
  const listed = ranked.filter((c) => c.method !== 'title_author' || c.score >= options.conflictThreshold).slice(0, options.maxCandidates);
  const best = ranked[0];
  if (!best) return { kind: 'none', reason: 'no candidate above the floor', candidates: [] };

  if (best.method !== 'title_author') {
    const rivals = ranked.filter((c) => c !== best && c.method === best.method);
    if (rivals.length === 0) return { kind: 'link', asin: best.asin, method: best.method, score: 1, reason: best.reason, candidates: listed };
    return { kind: 'conflict', reason: `${best.method.toUpperCase()} matches ${rivals.length + 1} titles`, candidates: listed };
  }

  if (best.score < options.conflictThreshold) {
    return { kind: 'none', reason: `best candidate scores ${best.score.toFixed(2)}, below ${options.conflictThreshold}`, candidates: [] };
  }
  const runnerUp = ranked[1];
  if (best.blockers.length) return { kind: 'conflict', reason: best.blockers.join('; '), candidates: listed };
  if (best.score < options.linkThreshold) {
    return { kind: 'conflict', reason: `best candidate scores ${best.score.toFixed(2)}, below ${options.linkThreshold}`, candidates: listed };
  }
  if (runnerUp && best.score - runnerUp.score < options.margin) {
    return { kind: 'conflict', reason: `${runnerUp.asin} scores ${runnerUp.score.toFixed(2)}, within ${options.margin} of the best`, candidates: listed };
  }
  return { kind: 'link', asin: best.asin, method: 'title_author', score: best.score, reason: best.reason, candidates: listed };
}
