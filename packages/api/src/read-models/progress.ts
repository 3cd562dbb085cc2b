import { ProgressHistoryEntrySchema, ProgressSchema, type ListeningEventResult } from '@sagasync/core';
import * as z from 'zod';
import { SeriesJsonSchema, seriesJson } from './series.js';

/** What a listening event did: the progress after it, its history entries and the cascade. */
export const ListeningEventResponseSchema = z.object({
  asin: z.string(),
  changed: z.boolean(),
  ignoredRegression: z.boolean(),
  progress: ProgressSchema.nullable(),
  history: z.array(ProgressHistoryEntrySchema.omit({ ownerId: true })),
  series: z.array(SeriesJsonSchema),
});
export type ListeningEventResponse = z.infer<typeof ListeningEventResponseSchema>;

export function listeningEventResponse(asin: string, result: ListeningEventResult): ListeningEventResponse {
  return {
    asin,
    changed: result.changed,
    ignoredRegression: result.ignoredRegression,
    progress: result.progress,
    history: result.history,
    series: result.series.map(seriesJson),
  };
}

export const HistoryEntrySchema = ProgressHistoryEntrySchema.omit({ ownerId: true });
