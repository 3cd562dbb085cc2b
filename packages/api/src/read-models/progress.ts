import { ProgressHistoryEntrySchema, ProgressSchema, type ListeningEventResult } from '@sagasync/core';
import * as z from 'zod';
import { pageOf } from './page.js';
import { SeriesJsonSchema, seriesJson } from './series.js';

/** What a listening event did: the progress after it, its history entries and the cascade. */
export const ListeningEventResponseSchema = z.object({
  asin: z.string(),
  /** The title's name, so an answer can say which title a name argument resolved to. */
  title: z.string(),
  changed: z.boolean(),
  ignoredRegression: z.boolean(),
  progress: ProgressSchema.nullable(),
  history: z.array(ProgressHistoryEntrySchema.omit({ ownerId: true })),
  series: z.array(SeriesJsonSchema),
});
export type ListeningEventResponse = z.infer<typeof ListeningEventResponseSchema>;

export function listeningEventResponse(title: { asin: string; title: string }, result: ListeningEventResult): ListeningEventResponse {
  return {
    asin: title.asin,
    title: title.title,
    changed: result.changed,
    ignoredRegression: result.ignoredRegression,
    progress: result.progress,
    history: result.history,
    series: result.series.map(seriesJson),
  };
}

export const HistoryEntrySchema = ProgressHistoryEntrySchema.omit({ ownerId: true });

/** A title's history, oldest first, with the title it is of (the argument may have been a name). */
export const HistoryPageSchema = pageOf(HistoryEntrySchema).extend({ asin: z.string(), title: z.string() });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;
