import type { ConflictView } from '@sagasync/matcher';
import * as z from 'zod';

/** An open (or resolved) conflict with what a person needs to decide it. */
export const ConflictJsonSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'resolved']),
  trackerId: z.string(),
  source: z.string(),
  book: z.object({ title: z.string(), authors: z.array(z.string()) }).nullable(),
  reason: z.string(),
  candidates: z.array(z.object({ asin: z.string(), score: z.number(), reason: z.string(), title: z.string().nullable(), authors: z.array(z.string()) })),
});
export type ConflictJson = z.infer<typeof ConflictJsonSchema>;

export function conflictJson(view: ConflictView): ConflictJson {
  return {
    id: view.conflict.id,
    status: view.conflict.status,
    trackerId: view.conflict.trackerId,
    source: view.conflict.source,
    book: view.book ? { title: view.book.title, authors: view.book.authors } : null,
    reason: view.conflict.reason,
    candidates: view.candidates,
  };
}
