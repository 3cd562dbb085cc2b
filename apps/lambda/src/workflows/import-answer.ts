import { IMPORT_ANSWER_MAX_CHANGES, ImportAnswerSchema, type ImportAnswer } from '@sagasync/api';
import * as z from 'zod';

/** A chunk's answer as the upsert stages it, with the series an earlier chunk planned already. */
export const ChunkAnswerSchema = z.object({ answer: ImportAnswerSchema, repeatedSeries: z.array(z.string()) });
export type ChunkAnswer = z.infer<typeof ChunkAnswerSchema>;

type Counts = ImportAnswer['summary']['titles'];
const COUNT_OF = { create: 'created', update: 'updated', unchanged: 'unchanged' } as const;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const total = (c: Counts) => c.created + c.updated + c.unchanged;

/**
 * The chunks' answers as one, as the CLI merges the answers of its `--api-url` pages: titles and
 * progress rows are each in one chunk, so their counts add up; a series planned again by a later
 * part of a group split over chunks is counted once. The first 1,000 changes of each kind by key
 * are listed, `omitted` counts the rest.
 */
export function mergeChunkAnswers(parts: readonly ChunkAnswer[], runId: string | null): ImportAnswer {
  const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
  const summary = { titles: zero(), series: zero(), progress: zero() };
  const titles: ImportAnswer['titles'] = [];
  const progress: ImportAnswer['progress'] = [];
  const series = new Map<string, ImportAnswer['series'][number]>();
  const notes = new Set<string>();
  let committed = parts.length > 0;
  let attempts = 1;
  const add = (into: Counts, from: Counts) => {
    into.created += from.created;
    into.updated += from.updated;
    into.unchanged += from.unchanged;
  };
  for (const { answer, repeatedSeries } of parts) {
    add(summary.titles, answer.summary.titles);
    add(summary.series, answer.summary.series);
    add(summary.progress, answer.summary.progress);
    for (const key of repeatedSeries) {
      const count = COUNT_OF[answer.series.find((c) => c.key === key)?.action ?? 'unchanged'];
      summary.series[count] = Math.max(0, summary.series[count] - 1);
    }
    titles.push(...answer.titles);
    progress.push(...answer.progress);
    for (const c of answer.series) if (!series.has(c.key)) series.set(c.key, c);
    for (const note of answer.notes) notes.add(note);
    committed &&= answer.committed;
    attempts = Math.max(attempts, answer.attempts);
  }
  const first = <T>(items: T[], keyOf: (item: T) => string) => items.sort((a, b) => compare(keyOf(a), keyOf(b))).slice(0, IMPORT_ANSWER_MAX_CHANGES);
  const listedTitles = first(titles, (c) => c.asin);
  const listedSeries = first([...series.values()], (c) => c.key);
  const listedProgress = first(progress, (c) => c.asin);
  return {
    committed,
    summary,
    titles: listedTitles,
    series: listedSeries,
    progress: listedProgress,
    omitted: { titles: total(summary.titles) - listedTitles.length, series: total(summary.series) - listedSeries.length, progress: total(summary.progress) - listedProgress.length },
    notes: [...notes],
    runId: committed ? runId : null,
    attempts,
  };
}

/** JSON bytes of a value. */
const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * The answer within `maxBytes` of JSON, for the job record (one DynamoDB item, 400 KB at most):
 * lists shortened by half until it fits, `omitted` counting what was left out. 1,000 changes of each
 * kind usually fit as they are.
 */
export function fitAnswer(answer: ImportAnswer, maxBytes = 300_000): ImportAnswer {
  let fitted = answer;
  while (sizeOf(fitted) > maxBytes && fitted.titles.length + fitted.series.length + fitted.progress.length > 0) {
    const half = <T>(list: T[]) => list.slice(0, Math.floor(list.length / 2));
    const titles = half(fitted.titles);
    const series = half(fitted.series);
    const progress = half(fitted.progress);
    fitted = {
      ...fitted,
      titles,
      series,
      progress,
      omitted: {
        titles: fitted.omitted.titles + fitted.titles.length - titles.length,
        series: fitted.omitted.series + fitted.series.length - series.length,
        progress: fitted.omitted.progress + fitted.progress.length - progress.length,
      },
    };
  }
  return fitted;
}
