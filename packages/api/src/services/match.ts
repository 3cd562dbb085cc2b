import { SagaSyncError } from '@sagasync/core';
import type { ApiServices } from '../http/context.js';

/**
 * The `match` service over @sagasync/matcher, loaded when a match runs: reads the tracker export
 * (Goodreads, StoryGraph or a generic CSV), then links, asks or leaves each book. Hosts wire it as
 * `services.match`; the answer is what `sagasync match --json` prints.
 */
export const matchService: NonNullable<ApiServices['match']> = async (ctx, input) => {
  const { readTrackerText, runMatch, toMatchJson } = await import('@sagasync/matcher');
  const read = readTrackerText(input.text, input.source ? { source: input.source as 'goodreads' | 'storygraph' | 'csv' } : {}, 'tracker export');
  if (!read.success) {
    const issue = read.error.issues[0];
    const where = issue ? [issue.line === undefined ? null : `line ${issue.line}`, issue.path || null].filter(Boolean).join(', ') : '';
    throw new SagaSyncError('invalid_input', `the tracker export could not be read${where ? ` (${where})` : ''}: ${issue?.message ?? 'unknown format'}`, {
      details: { location: 'body.text' },
    });
  }
  const report = await runMatch(ctx, read.value.books, { commit: input.commit, source: read.value.source });
  return { source: report.source, committed: report.committed, ...toMatchJson(report) };
};
