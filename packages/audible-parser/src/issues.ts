import type { InputIssue } from '@sagasync/core';
import { safeIssue } from './values/quote.js';

/** How many issues a failure or a skip-invalid report lists before counting the rest. */
export const MAX_LISTED_ISSUES = 100;

/**
 * Collects issues, keeping the first `limit` and counting all of them. Every kept issue is passed
 * through `safeIssue`, so no quoted file content reaches a user unbounded or with raw control bytes.
 */
export class IssueList {
  readonly listed: InputIssue[] = [];
  total = 0;

  constructor(private readonly limit = MAX_LISTED_ISSUES) {}

  add(issue: InputIssue): void {
    this.total++;
    if (this.listed.length < this.limit) this.listed.push(safeIssue(issue));
  }

  get omitted(): number {
    return this.total - this.listed.length;
  }
}
