import type { BatchOperation, ConflictData, DecisionData, HistoryData, LinkData, ProgressData, SeriesData, SyncRunData, TitleData, TrackerBookData } from '@sagasync/core';

/** Fixed instants keep expected values exact; the suite never depends on the clock. */
export const T0 = '2024-03-01T10:00:00.000Z';
export const T1 = '2024-03-02T11:30:00.000Z';
export const T2 = '2024-03-03T12:45:00.000Z';

/** A valid ASIN per number: `B000000042`. */
export function asinOf(n: number): string {
  return `B${String(n).padStart(9, '0')}`;
}

/** A title with every nullable field null and no series, the smallest valid record. */
export function bareTitle(asin: string, overrides: Partial<TitleData> = {}): TitleData {
  return {
    asin,
    title: `Title ${asin}`,
    subtitle: null,
    authors: [],
    narrators: [],
    runtimeMinutes: null,
    releaseDate: null,
    purchaseDate: null,
    coverUrl: null,
    language: null,
    marketplace: null,
    sourceAccount: null,
    owned: true,
    isPodcast: false,
    contributors: [],
    forSale: null,
    series: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** A title with every field set, in two series (an omnibus range and a numbered volume). */
export function fullTitle(asin: string, overrides: Partial<TitleData> = {}): TitleData {
  return bareTitle(asin, {
    title: 'The Expanse: Books 1-3',
    subtitle: 'Leviathan Wakes, Caliban’s War, Abaddon’s Gate',
    authors: ['James S. A. Corey'],
    narrators: ['Jefferson Mays', 'Another Narrator'],
    runtimeMinutes: 4_321,
    releaseDate: '2019-05-14',
    purchaseDate: '2020-01-02T03:04:05.000Z',
    coverUrl: 'https://m.media-amazon.com/images/I/cover.jpg',
    language: 'english',
    marketplace: 'us',
    sourceAccount: 'me@example.com',
    owned: true,
    isPodcast: false,
    contributors: [],
    forSale: null,
    series: [
      { seriesKey: 'B0SERIES01', seriesAsin: 'B0SERIES01', seriesTitle: 'The Expanse', sequence: '1-3', position: { kind: 'range', start: 1, end: 3 } },
      { seriesKey: 'title:expanse omnibus', seriesAsin: null, seriesTitle: 'Expanse Omnibus', sequence: '2.5', position: { kind: 'number', value: 2.5 } },
      { seriesKey: 'title:unsorted', seriesAsin: null, seriesTitle: 'Unsorted', sequence: '', position: { kind: 'none' } },
    ],
    createdAt: T0,
    updatedAt: T1,
    ...overrides,
  });
}

export function seriesData(key: string, overrides: Partial<SeriesData> = {}): SeriesData {
  return { key, asin: null, title: `Series ${key}`, catalogueComplete: false, createdAt: T0, updatedAt: T0, ...overrides };
}

export function progressData(asin: string, overrides: Partial<ProgressData> = {}): ProgressData {
  return {
    asin,
    status: 'in_progress',
    percentComplete: 42.5,
    isFinished: false,
    startedAt: T0,
    finishedAt: null,
    lastPositionMs: 1_234_567,
    finishCount: 0,
    updatedAt: T1,
    ...overrides,
  };
}

export function historyData(asin: string, id: string, at: string, overrides: Partial<HistoryData> = {}): HistoryData {
  return {
    asin,
    id,
    at,
    source: 'import',
    event: 'progressed',
    fromStatus: 'not_started',
    toStatus: 'in_progress',
    fromPercent: 0,
    toPercent: 10,
    note: null,
    ...overrides,
  };
}

export function trackerBookData(source: TrackerBookData['source'], trackerId: string, overrides: Partial<TrackerBookData> = {}): TrackerBookData {
  return {
    source,
    trackerId,
    title: `Book ${trackerId}`,
    authors: ['Frank Herbert'],
    isbn10: null,
    isbn13: '9780441013593',
    asin: null,
    seriesHint: { title: 'Dune', sequence: '1' },
    status: null,
    updatedAt: T0,
    ...overrides,
  };
}

export function linkData(asin: string, source: LinkData['source'], trackerId: string, overrides: Partial<LinkData> = {}): LinkData {
  return { asin, source, trackerId, method: 'isbn', score: 0.97, createdAt: T0, ...overrides };
}

export function conflictData(source: ConflictData['source'], trackerId: string, overrides: Partial<ConflictData> = {}): ConflictData {
  return {
    id: `${source}:${trackerId}`,
    source,
    trackerId,
    candidates: [
      { asin: asinOf(1), score: 0.81, reason: 'title and author' },
      { asin: asinOf(2), score: 0.79, reason: 'title only' },
    ],
    reason: 'two titles score within 0.05',
    status: 'open',
    createdAt: T0,
    resolvedAt: null,
    ...overrides,
  };
}

export function decisionData(source: DecisionData['source'], trackerId: string, asin: string | null, overrides: Partial<DecisionData> = {}): DecisionData {
  return { source, trackerId, asin, decision: asin === null ? 'reject' : 'link', decidedAt: T1, ...overrides };
}

export function syncRunData(id: string, startedAt: string, overrides: Partial<SyncRunData> = {}): SyncRunData {
  return {
    id,
    kind: 'import',
    source: 'library.tsv',
    status: 'succeeded',
    startedAt,
    finishedAt: startedAt,
    counts: { created: 3, updated: 1, unchanged: 7, failed: 0 },
    error: null,
    ...overrides,
  };
}

/**
 * `n` titles and at least one record of every kind an owner's store holds (history, baselines,
 * aliases, links, conflicts, decisions, runs, settings, credentials, mirror records): what a copy
 * or dump between stores must carry over whole.
 */
export function everyKindOfRecord(n = 12): BatchOperation[] {
  const ops: BatchOperation[] = [];
  for (let i = 1; i <= n; i++) {
    const asin = asinOf(i);
    const seriesKey = `B0SERIE${String(i % 3).padStart(3, '0')}`;
    ops.push({
      op: 'putTitle',
      value: fullTitle(asin, {
        title: `Volume ${i} — «${i % 2 ? 'Ünïcode' : 'plain'}»`,
        owned: i % 4 !== 0,
        series: [{ seriesKey, seriesAsin: seriesKey, seriesTitle: `Saga ${i % 3}`, sequence: String(i), position: { kind: 'number', value: i } }],
      }),
    });
    if (i <= 3) ops.push({ op: 'putSeries', value: seriesData(seriesKey, { title: `Saga ${i % 3}` }) });
    if (i % 2 === 1) {
      ops.push({ op: 'putProgress', value: progressData(asin, { status: 'in_progress', percentComplete: 10 * (i % 10), changedBy: 'file', changedAt: T1 }) });
      ops.push({ op: 'appendHistory', value: historyData(asin, `h-${i}-a`, T0) });
      ops.push({ op: 'appendHistory', value: historyData(asin, `h-${i}-b`, T1) });
      ops.push({ op: 'putBaseline', value: { asin, source: 'audible:us', value: { status: 'in_progress', percentComplete: 5 }, observedAt: T0 } });
      ops.push({ op: 'putBaseline', value: { asin, source: 'notion', value: { isFinished: false }, observedAt: T1 } });
    }
    if (i % 3 === 0) {
      ops.push({ op: 'putTrackerBook', value: trackerBookData('goodreads', `gr-${i}`) });
      ops.push({ op: 'putLink', value: linkData(asin, 'goodreads', `gr-${i}`) });
      ops.push({ op: 'putDecision', value: decisionData('goodreads', `gr-${i}`, i % 2 ? asin : null) });
      ops.push({ op: 'putConflict', value: conflictData('storygraph', `sg-${i}`, { id: `conflict-${i}` }) });
    }
    ops.push({
      op: 'putMirrorRecord',
      value: { table: 'books', key: asin, pageId: `page-${i}`, origin: i % 5 ? 'created' : 'adopted', synthetic: i % 4 === 0, hashes: { Title: `h${i}` }, updatedAt: T2 },
    });
  }
  ops.push({ op: 'putSeriesAlias', value: { alias: 'title:saga 1', seriesKey: 'B0SERIE001', createdAt: T1 } });
  ops.push({ op: 'putSyncRun', value: syncRunData('run-1', T0) });
  ops.push({ op: 'putSetting', key: 'notion', value: { databaseIds: { books: 'db-1' }, nested: [1, 'two', null] } });
  ops.push({ op: 'putSetting', key: 'marketplace', value: 'us' });
  ops.push({ op: 'putCredential', value: { name: 'notion', ciphertext: 'v1.raw..aXY.dGFn.Y2lwaGVy', updatedAt: T1 } });
  return ops;
}
