import { applyInChunks, type Page, type PageRequest } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, bareTitle, conflictData, decisionData, historyData, linkData, progressData, seriesData, syncRunData, T0, trackerBookData } from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

/** Every page of a list with `limit`, checking each page's size; the items in page order. */
async function walk<T>(list: (request: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    expect(pages, 'a paged list must end').toBeLessThan(1000);
    const page: Page<T> = await list({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
}

const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();

export function describePagination(ctx: SuiteContext): void {
  describe('pagination', () => {
    it('every list, walked page by page, gives each item once and in the order of the whole list', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      const n = 23;
      const asin = asinOf(7);
      const ops = [];
      for (let i = 1; i <= n; i++) {
        ops.push({ op: 'putTitle' as const, value: bareTitle(asinOf(i), { owned: i % 3 !== 0 }) });
        ops.push({ op: 'putSeries' as const, value: seriesData(`title:s${String(i).padStart(2, '0')}`, { title: `Saga ${i % 2}` }) });
        ops.push({ op: 'putProgress' as const, value: progressData(asinOf(i), { status: i % 2 ? 'in_progress' : 'finished', percentComplete: i % 2 ? 10 : 100, isFinished: i % 2 === 0 }) });
        // Several entries at one instant: the id breaks the tie.
        ops.push({ op: 'appendHistory' as const, value: historyData(asin, `h${String(i).padStart(2, '0')}`, at(i % 5)) });
        ops.push({ op: 'putTrackerBook' as const, value: trackerBookData(i % 2 ? 'goodreads' : 'storygraph', `t${i}`) });
        ops.push({ op: 'putLink' as const, value: linkData(asinOf(i), i % 2 ? 'goodreads' : 'storygraph', `t${i}`) });
        ops.push({ op: 'putConflict' as const, value: conflictData('goodreads', `c${i}`, { id: `conflict-${String(i).padStart(2, '0')}` }) });
        ops.push({ op: 'putDecision' as const, value: decisionData('goodreads', `d${i % 4}`, i % 5 === 0 ? null : asinOf(i)) });
        ops.push({ op: 'putSyncRun' as const, value: syncRunData(`run-${i}`, at(i % 4)) });
        ops.push({ op: 'putCredential' as const, value: { name: `cred-${i}`, ciphertext: 'x', updatedAt: T0 } });
        ops.push({ op: 'putMirrorRecord' as const, value: { table: i % 2 ? ('books' as const) : ('series' as const), key: `k${i}`, pageId: `p${i}`, origin: 'created' as const, synthetic: false, hashes: {}, updatedAt: T0 } });
        ops.push({ op: 'putSetting' as const, key: `setting-${String(i).padStart(2, '0')}`, value: { n: i, list: [i] } });
        ops.push({ op: 'putSeriesAlias' as const, value: { alias: `title:alias ${i}`, seriesKey: `B0SERIE${String(i % 3).padStart(3, '0')}`, createdAt: T0 } });
      }
      await applyInChunks(store, owner, ops.map((operation) => [operation]));

      const lists: [string, (request: PageRequest) => Promise<Page<unknown>>][] = [
        ['titles', (r) => store.listTitles(owner, r)],
        ['owned titles', (r) => store.listTitles(owner, { ...r, owned: true })],
        ['finished titles', (r) => store.listTitles(owner, { ...r, status: 'finished' })],
        ['series', (r) => store.listSeries(owner, r)],
        ['series by name', (r) => store.findSeriesByName(owner, 'saga', { ...r, prefix: true })],
        ['progress', (r) => store.listProgress(owner, r)],
        ['history', (r) => store.listHistory(owner, asin, r)],
        ['tracker books', (r) => store.listTrackerBooks(owner, r)],
        ['links', (r) => store.listLinks(owner, r)],
        ['conflicts', (r) => store.listConflicts(owner, r)],
        ['decisions', (r) => store.listDecisions(owner, r)],
        ['sync runs', (r) => store.listSyncRuns(owner, r)],
        ['credential names', (r) => store.listCredentialNames(owner, r)],
        ['settings', (r) => store.listSettings(owner, r)],
        ['mirror records', (r) => store.listMirrorRecords(owner, r)],
        ['series aliases', (r) => store.listSeriesAliases(owner, r)],
      ];
      for (const [name, list] of lists) {
        const whole = await list({});
        expect(whole.nextCursor, name).toBeNull();
        expect(whole.items.length, name).toBeGreaterThan(3);
        for (const limit of [1, 4, 100]) expect(await walk(list, limit), `${name}, limit ${limit}`).toEqual(whole.items);
      }
    });

    it('a write between two pages neither repeats nor skips what was there before', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [2, 4, 6, 8].map((n) => ({ op: 'putTitle' as const, value: bareTitle(asinOf(n)) })));
      const first = await store.listTitles(owner, { limit: 2 });
      expect(first.items.map((t) => t.asin)).toEqual([asinOf(2), asinOf(4)]);
      await store.applyBatch(owner, [
        { op: 'putTitle', value: bareTitle(asinOf(1)) },
        { op: 'putTitle', value: bareTitle(asinOf(5)) },
      ]);
      const rest = await store.listTitles(owner, { cursor: first.nextCursor });
      expect(rest.items.map((t) => t.asin)).toEqual([asinOf(5), asinOf(6), asinOf(8)]);
      expect(rest.nextCursor).toBeNull();
    });

    it('refuses a bad limit or a cursor that is not one of its own', async () => {
      const owner = ctx.owner();
      const store = ctx.store();
      await store.applyBatch(owner, [{ op: 'putTitle', value: bareTitle(asinOf(1)) }, { op: 'putTitle', value: bareTitle(asinOf(2)) }]);
      for (const limit of [0, -1, 1.5, Number.NaN]) await expectFailure(store.listTitles(owner, { limit }), 'invalid_input');
      await expectFailure(store.listTitles(owner, { cursor: 'not a cursor' }), 'invalid_input');
      // A history cursor has two parts; a title list refuses it.
      const history = await store.listLinks(owner, { limit: 1 });
      expect(history.nextCursor).toBeNull();
      const titles = await store.listTitles(owner, { limit: 1 });
      await expectFailure(store.listHistory(owner, asinOf(1), { cursor: titles.nextCursor }), 'invalid_input');
    });
  });
}
