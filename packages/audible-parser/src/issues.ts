import type { InputIssue } from '@sagasync/core';

/** How many issues a failure or a skip-invalid report lists before counting the rest. */
export const MAX_LISTED_ISSUES = 100;

/** Collects issues, keeping the first `limit` and counting all of them. */
export class IssueList {
  readonly listed: InputIssue[] = [];
  total = 0;

  constructor(private readonly limit = MAX_LISTED_ISSUES) {}

  add(issue: InputIssue): void {
    this.total++;
    if (this.listed.length < this.limit) this.listed.push(issue);
  }

  get omitted(): number {
    return this.total - this.listed.length;
  }
}
