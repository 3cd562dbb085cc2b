import { SagaSyncError } from '@sagasync/core';
import type * as z from 'zod';

/** Parses a request part with its schema; the first issue becomes `invalid_input` naming its field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, part: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const location = [part, ...(issue?.path ?? []).map(String)].join('.');
  throw new SagaSyncError('invalid_input', `${location}: ${issue?.message ?? 'invalid'}`, { details: { location } });
}
