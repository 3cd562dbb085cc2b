import type { Title } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { planPush, type PushPlanInput } from '../src/plan/plan-push.js';
import { hashValues } from '../src/plan/property-values.js';
import type { MirrorState } from '../src/state/settings.js';
import type { SeriesViewLike } from '../src/plan/desired-values.js';
import { library, OWNER } from './helpers.js';

const lib = library(12, 3);
const titles: Title[] = lib.titles.map((t) => ({ ...t, ownerId: OWNER, version: 1 }));
const views: SeriesViewLike[] = lib.series.map((s) => ({ key: s.key, title: s.title, status: 'not_started', ownedCount: 0, finishedCount: 0, missing: [], nextUp: null, nextToBuy: null }));

const input = (mirror: MirrorState, extra: Partial<PushPlanInput> = {}): PushPlanInput => ({ titles, progress: new Map(), series: views, mirror, ...extra });
const shuffled = <T>(items: readonly T[]): T[] => items.map((item, i) => ({ item, k: (i * 7919) % 13 })).sort((a, b) => a.k - b.k).map((x) => x.item);

/** What applying the plan's writes does to the records (page ids made up). */
function applied(mirror: MirrorState, plan: ReturnType<typeof planPush>): MirrorState {
  const next: MirrorState = structuredClone(mirror);
  for (const w of plan.writes) {
    if (w.kind === 'create') next[w.table][w.key] = { pageId: `page-${w.key}`, origin: 'created', synthetic: false, hashes: hashValues(w.values) };
    else Object.assign(next[w.table][w.key]!.hashes, hashValues(w.values));
  }
  return next;
}

describe('planPush', () => {
  it('orders the writes series first, then books, each by key, whatever order the store gives', () => {
    const plan = planPush(input({ books: {}, series: {} }));
    const again = planPush({ ...input({ books: {}, series: {} }), titles: shuffled(titles), series: shuffled(views) });
    expect(again).toEqual(plan);
    expect(plan.writes.map((w) => `${w.table}:${w.key}`)).toEqual([...lib.series.map((s) => `series:${s.key}`), ...lib.titles.map((t) => `books:${t.asin}`)]);
    expect(plan.writes.every((w) => w.kind === 'create')).toBe(true);
  });

  it('leaves a series without a page out of the books’ relation, and plans the relation once the page is recorded', () => {
    const first = planPush(input({ books: {}, series: {} }));
    const book = first.writes.find((w) => w.key === 'B000000001')!;
    expect(book.kind === 'create' && book.values.Series).toEqual({ relation: [] });
    // The series pages exist; the books were created without them: their relation is what is left to write.
    const afterAll = applied({ books: {}, series: {} }, first);
    const next = planPush(input(afterAll));
    expect(next.writes.map((w) => (w.kind === 'update' ? `${w.key}:${w.changed.join(',')}` : w.key))).toEqual(lib.titles.map((t) => `${t.asin}:Series`));
    expect(planPush(input(applied(afterAll, next))).writes).toEqual([]);
  });

  it('drops the writes already done, and the ones Notion refused earlier in the run', () => {
    const full = planPush(input({ books: {}, series: {} }));
    const seriesDone = applied({ books: {}, series: {} }, { ...full, writes: full.writes.filter((w) => w.table === 'series') });
    const rest = planPush(input(seriesDone, { skip: new Set(['books:B000000003']) }));
    expect(rest.writes.map((w) => w.key)).toEqual(lib.titles.map((t) => t.asin).filter((a) => a !== 'B000000003'));
    expect(rest.skipped).toEqual(['books:B000000003']);
    expect(rest.unchanged.series).toEqual(lib.series.map((s) => s.key));
    expect(planPush(input(seriesDone, { includeSynthetic: false })).writes.map((w) => w.key)).toEqual(titles.filter((t) => t.owned).map((t) => t.asin));
  });
});
