import { SagaSyncError } from '@sagasync/core';
import type * as z from 'zod';

/**
 * Validates an API answer against the shape the client relies on. A mismatch means Audible
 * changed something: report where, without echoing values (they may be tokens).
 */
export function parseResponse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SagaSyncError('remote_failure', `Unexpected response from ${what}: ${describeIssues(result.error.issues)}`, { details: { location: what } });
}

/** Where a value did not fit, without the value: `title: Invalid input: expected string, received number`. */
function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length || prefix ? [prefix, ...issue.path.map(String)].filter(Boolean).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** An element of a list that did not fit its schema, left out. */
export interface RejectedElement {
  /** Index in the list as received. */
  index: number;
  /** The element's `asin` when it is text, so a warning can name the title. */
  asin: string | null;
  /** Where and why, without values: `$.products[3].title: Invalid input: expected string, received number`. */
  reason: string;
}

/**
 * Checks each element of a list on its own: the ones that fit are kept, the others reported, so
 * one malformed item of Audible's does not fail the page it came in.
 */
export function parseEach<S extends z.ZodType>(schema: S, values: readonly unknown[], listPath: string): { items: z.infer<S>[]; rejected: RejectedElement[] } {
  const items: z.infer<S>[] = [];
  const rejected: RejectedElement[] = [];
  values.forEach((value, index) => {
    const result = schema.safeParse(value);
    if (result.success) items.push(result.data);
    else rejected.push({ index, asin: asinOf(value), reason: describeIssues(result.error.issues, `${listPath}[${index}]`) });
  });
  return { items, rejected };
}

/** The `asin` of a raw element when it is text. */
export function asinOf(element: unknown): string | null {
  if (typeof element !== 'object' || element === null || !Object.hasOwn(element, 'asin')) return null;
  const asin = (element as { asin: unknown }).asin;
  return typeof asin === 'string' ? asin : null;
}
