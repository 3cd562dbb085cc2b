import { SagaSyncError } from '@sagasync/core';
import * as z from 'zod';

const CountsSchema = z.object({ created: z.number().int().nonnegative(), updated: z.number().int().nonnegative(), unchanged: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });

/**
 * What a push that stopped early hands to the next call. It is not a position in a list: the next
 * call plans again from the mirror records, where every finished write is already recorded, so
 * finished writes drop out of the plan. The cursor names the run (its id, start, totals so far,
 * the writes Notion refused) and lets the next call skip the scan of both databases, which it
 * does only when the store's push marker still says this run stopped at this `seq` (no other
 * call has continued from it since, and none crashed after starting from it).
 */
export const PushCursorSchema = z.object({
  v: z.literal(1),
  runId: z.string().min(1),
  startedAt: z.string().min(1),
  /** Calls that stopped so far; the marker's `seq` must match. */
  seq: z.number().int().positive(),
  counts: CountsSchema,
  /** `table:key` of writes Notion refused (validation); not tried again in this run. */
  skip: z.array(z.string()),
});
export type PushCursor = z.infer<typeof PushCursorSchema>;

export function encodePushCursor(cursor: PushCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodePushCursor(text: string): PushCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    raw = null;
  }
  const parsed = PushCursorSchema.safeParse(raw);
  if (!parsed.success) throw new SagaSyncError('invalid_input', 'the push cursor is not one a push returned', { details: { location: 'cursor' } });
  return parsed.data;
}
