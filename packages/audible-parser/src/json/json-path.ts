import type { InputIssue } from '@sagasync/core';
import type * as z from 'zod';
import { displayValue } from '../values/parsed.js';

export type PathSegment = string | number;

/** `.asin`, or `["Is Finished?"]` for keys that are not identifiers. */
export function jsonPathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** `$.items[3].series[0].sequence` from a base path and segments. */
export function formatPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) path += typeof segment === 'number' ? `[${segment}]` : jsonPathKey(String(segment));
  return path;
}

/** The value at `segments` under `root`, following own properties only. */
export function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = typeof segment === 'symbol' ? undefined : String(segment);
    if (key === undefined || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** zod's issues as located input issues: JSON path, offending value, message. */
export function zodIssues(error: z.ZodError, root: unknown, base: string, file: string): InputIssue[] {
  return error.issues.map((issue) => {
    const value = valueAt(root, issue.path);
    return {
      file,
      path: formatPath(base, issue.path),
      ...(value !== undefined && (typeof value !== 'object' || value === null) ? { value: displayValue(value) } : {}),
      message: value === undefined && issue.code === 'invalid_type' ? `missing ${String(issue.path[issue.path.length - 1] ?? 'value')}` : issue.message,
    };
  });
}
