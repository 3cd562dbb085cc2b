import { importAnswer } from '@sagasync/api';
import { pageImportRecords, readSequence, SagaSyncError, type LibraryRecords, type TitleRecord } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { jobErrorFromCaught, toWorkflowError, RETRYABLE_ERROR } from '../src/workflows/errors.js';
import { fitAnswer, mergeChunkAnswers } from '../src/workflows/import-answer.js';
import { getPieces, PIECE_BYTES, putPieces, splitText } from '../src/workflows/pieces.js';
import { chunkOrder } from '../src/workflows/stage-import.js';
import { KINDS, readImportInput, stageImportInput } from '../src/workflows/staging.js';

const clock = () => new Date('2026-11-25T10:00:00.000Z');
const storedBytes = (piece: string) => Buffer.byteLength(JSON.stringify(piece), 'utf8');

describe('staged pieces', () => {
  it('cut text within the stored size, counting JSON escapes, never inside a surrogate pair', () => {
    const text = `${'"quoted" \\ back\tslash é ✓ 😀 '.repeat(20_000)}end`;
    const pieces = splitText(text, 50_000);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(storedBytes(piece) - 2).toBeLessThanOrEqual(50_000);
      expect(/^[\uDC00-\uDFFF]/.test(piece)).toBe(false);
    }
    expect(splitText('')).toEqual(['']);
  });

  it('stage an import body in records of at most 300 KB under `<jobId>/<n>`, and read it back', async () => {
    const storage = createMemoryStorage();
    const body = { records: { titles: Array.from({ length: 3_000 }, (_, i) => ({ asin: `B0${String(i).padStart(8, '0')}`, title: `"Title" ${i} ${'x'.repeat(200)}` })), series: [], progress: [] }, commit: true };
    await stageImportInput({ storage, clock }, 'owner', 'JOB1', body);
    const pieces = (await storage.listExpiring('owner', KINDS.input, clock())).items;
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.map((p) => p.key).sort()).toEqual(pieces.map((_, i) => `JOB1/${i}`).sort());
    for (const piece of pieces) {
      expect(Buffer.byteLength(JSON.stringify(piece), 'utf8')).toBeLessThan(PIECE_BYTES + 1_000);
      expect(piece.expiresAt).toBe('2026-11-26T10:00:00.000Z');
    }
    expect(await readImportInput({ storage, clock }, 'owner', 'JOB1')).toEqual(body);
    // Staged again: the same pieces.
    await stageImportInput({ storage, clock }, 'owner', 'JOB1', body);
    expect((await storage.listExpiring('owner', KINDS.input, clock())).items).toHaveLength(pieces.length);
    expect(await readImportInput({ storage, clock }, 'owner', 'JOB2')).toBeNull();
    // A day later it is gone.
    expect(await getPieces({ storage, clock: () => new Date('2026-11-26T10:00:00.001Z') }, 'owner', KINDS.input, 'JOB1')).toBeNull();
    await expect(putPieces({ storage, clock }, 'owner', KINDS.input, 'JOB3', undefined)).rejects.toThrow(/nothing to store/);
  });
});

describe('chunks', () => {
  const member = (key: string, title: string, n: number) => ({ seriesKey: key, seriesAsin: key.startsWith('title:') ? null : key, seriesTitle: title, ...readSequence(String(n)) });
  const title = (asin: string, series: TitleRecord['series']): TitleRecord => ({ asin, title: `Title ${asin} ${'y'.repeat(300)}`, authors: ['A'], narrators: [], owned: true, series });

  it('follow the earlier part of a series group split over chunks, and nothing else', () => {
    const records: LibraryRecords = {
      titles: [
        ...Array.from({ length: 60 }, (_, i) => title(`B1${String(i).padStart(8, '0')}`, [member('B0BIG00001', 'Big', i + 1)])),
        ...Array.from({ length: 30 }, (_, i) => title(`B2${String(i).padStart(8, '0')}`, [member(`title:saga ${i}`, `Saga ${i}`, 1)])),
      ],
      series: [{ key: 'B0BIG00001', asin: 'B0BIG00001', title: 'Big', catalogueComplete: true }],
      progress: [],
    };
    const pages = pageImportRecords(records, 8 * 1024);
    const order = chunkOrder(pages);
    const big = pages.map((p, i) => (p.titles.some((t) => t.asin.startsWith('B1')) ? i : -1)).filter((i) => i >= 0);
    expect(big.length).toBeGreaterThan(2);
    expect(order[big[0]!]).toBeNull();
    for (let k = 1; k < big.length; k++) expect(order[big[k]!]).toBe(big[k - 1]);
    pages.forEach((_, i) => {
      if (!big.includes(i)) expect(order[i]).toBeNull();
    });
  });
});

describe('answers', () => {
  const report = (asins: string[], seriesKeys: string[], action: 'create' | 'unchanged' = 'create') => ({
    committed: true,
    summary: {
      titles: { created: action === 'create' ? asins.length : 0, updated: 0, unchanged: action === 'create' ? 0 : asins.length },
      series: { created: action === 'create' ? seriesKeys.length : 0, updated: 0, unchanged: action === 'create' ? 0 : seriesKeys.length },
      progress: { created: 0, updated: 0, unchanged: 0 },
    },
    titles: asins.map((asin) => ({ asin, action, changedFields: [] })),
    series: seriesKeys.map((key) => ({ key, action, changedFields: [] })),
    progress: [],
    notes: ['a note'],
    runId: 'RUN',
    attempts: 1,
  });

  it('merge as the CLI merges its pages: counts added, a series planned again counted once, lists by key', () => {
    const first = importAnswer(report(['B0000000002', 'B0000000001'], ['S1']));
    const second = importAnswer(report(['B0000000003'], ['S1', 'S2']));
    const merged = mergeChunkAnswers([{ answer: first, repeatedSeries: [] }, { answer: second, repeatedSeries: ['S1'] }], 'JOB');
    expect(merged.summary).toEqual({ titles: { created: 3, updated: 0, unchanged: 0 }, series: { created: 2, updated: 0, unchanged: 0 }, progress: { created: 0, updated: 0, unchanged: 0 } });
    expect(merged.titles.map((t) => t.asin)).toEqual(['B0000000001', 'B0000000002', 'B0000000003']);
    expect(merged.series.map((s) => s.key)).toEqual(['S1', 'S2']);
    expect(merged).toMatchObject({ committed: true, runId: 'JOB', notes: ['a note'], omitted: { titles: 0, series: 0, progress: 0 } });
  });

  it('fit a job record: lists halved until the answer is small enough, omitted counting the rest', () => {
    const asins = Array.from({ length: 1_000 }, (_, i) => `B${String(i).padStart(9, '0')}`);
    const answer = importAnswer(report(asins, []));
    const fitted = fitAnswer(answer, 20_000);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(20_000);
    expect(fitted.titles.length + fitted.omitted.titles).toBe(1_000);
    expect(fitAnswer(answer)).toBe(answer);
  });
});

describe('errors', () => {
  it('retry what may pass later, name the rest by code, and read back what the state machine caught', () => {
    expect(toWorkflowError(new SagaSyncError('version_conflict', 'x changed')).name).toBe(RETRYABLE_ERROR);
    expect(toWorkflowError(new SagaSyncError('rate_limited', 'slow down')).message).toBe('rate_limited: slow down');
    expect(toWorkflowError(new SagaSyncError('invalid_input', 'bad', { details: { location: 'job.records' } }))).toMatchObject({ name: 'SagaSync.invalid_input', location: 'job.records' });
    expect(toWorkflowError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).name).toBe(RETRYABLE_ERROR);
    expect(toWorkflowError(new TypeError('fetch failed')).name).toBe(RETRYABLE_ERROR);
    expect(toWorkflowError(new RangeError('a bug')).name).toBe('SagaSync.internal');

    const lambdaCause = JSON.stringify({ errorType: RETRYABLE_ERROR, errorMessage: 'remote_failure: GET /1.0/catalog/products failed with HTTP 503', trace: [] });
    expect(jobErrorFromCaught({ Error: RETRYABLE_ERROR, Cause: lambdaCause })).toEqual({ code: 'remote_failure', message: 'GET /1.0/catalog/products failed with HTTP 503 (gave up after retries)' });
    expect(jobErrorFromCaught({ Error: 'SagaSync.not_found', Cause: 'job X not found' })).toEqual({ code: 'not_found', message: 'job X not found' });
    expect(jobErrorFromCaught({ Error: 'SagaSync.internal', Cause: 'TypeError: x is undefined' })).toEqual({ code: 'internal', message: 'internal error' });
    expect(jobErrorFromCaught({ Error: 'States.Timeout' })).toMatchObject({ code: 'internal' });
    expect(jobErrorFromCaught({ Error: 'Lambda.ServiceException', Cause: 'boom' })).toMatchObject({ code: 'remote_failure' });
  });
});
