import { describe, expect, it } from 'vitest';
import {
  asinOf,
  bareTitle,
  conflictData,
  decisionData,
  historyData,
  linkData,
  progressData,
  seriesData,
  syncRunData,
  T0,
  T1,
  T2,
  trackerBookData,
} from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

export function describeQueries(ctx: SuiteContext): void {
  describe('titles', () => {
    it('getTitles returns the titles that exist and skips missing asins', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(
        owner,
        [1, 2, 3].map((n) => ({ op: 'putTitle' as const, value: bareTitle(asinOf(n)) })),
      );
      const found = await ctx.store().getTitles(owner, [asinOf(3), asinOf(9), asinOf(1), asinOf(1)]);
      expect(found.map((title) => title.asin).sort()).toEqual([asinOf(1), asinOf(3)]);
      expect(await ctx.store().getTitles(owner, [])).toEqual([]);
      expect(await ctx.store().getTitles(owner, [asinOf(8)])).toEqual([]);
    });

    it('listTitles is ordered by ASIN and filters owned or synthetic volumes; countTitles agrees', async () => {
      const owner = ctx.owner();
      const asins = ['B0C9000001', '0441013597', 'B000000777', 'B0A1111111'];
      await ctx.store().applyBatch(
        owner,
        asins.map((asin, i) => ({ op: 'putTitle' as const, value: bareTitle(asin, { owned: i % 2 === 0 }) })),
      );
      expect((await ctx.store().listTitles(owner)).items.map((title) => title.asin)).toEqual(['0441013597', 'B000000777', 'B0A1111111', 'B0C9000001']);
      expect((await ctx.store().listTitles(owner, { owned: true })).items.map((title) => title.asin)).toEqual(['B000000777', 'B0C9000001']);
      expect((await ctx.store().listTitles(owner, { owned: false })).items.map((title) => title.asin)).toEqual(['0441013597', 'B0A1111111']);
      expect(await ctx.store().countTitles(owner)).toBe(4);
      expect(await ctx.store().countTitles(owner, { owned: true })).toBe(2);
      expect(await ctx.store().countTitles(owner, { owned: false })).toBe(2);
      // A title that stops being owned moves between the filters.
      await ctx.store().applyBatch(owner, [{ op: 'putTitle', value: bareTitle('B000000777', { owned: false }) }]);
      expect(await ctx.store().countTitles(owner, { owned: true })).toBe(1);
    });

    it('lists series by key in binary (code point) order, not a locale order, and progress by ASIN', async () => {
      const owner = ctx.owner();
      await ctx
        .store()
        .applyBatch(owner, [
          ...['title:zeta', 'B0SERIES01', 'title:alpha', 'title:Zeta', 'title:ärger', 'title:Beta'].map((key) => ({
            op: 'putSeries' as const,
            value: seriesData(key),
          })),
          { op: 'putProgress', value: progressData(asinOf(3)) },
          { op: 'putProgress', value: progressData(asinOf(1)) },
        ]);
      // Every adapter must agree, so a PostgreSQL adapter needs COLLATE "C" on its keys.
      expect((await ctx.store().listSeries(owner)).items.map((series) => series.key)).toEqual([
        'B0SERIES01',
        'title:Beta',
        'title:Zeta',
        'title:alpha',
        'title:zeta',
        'title:ärger',
      ]);
      expect((await ctx.store().listProgress(owner)).items.map((progress) => progress.asin)).toEqual([asinOf(1), asinOf(3)]);
    });

    it('getProgresses returns the progress rows that exist, whole and versioned, and skips missing asins', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putProgress', value: progressData(asinOf(1), { status: 'in_progress', percentComplete: 40 }) },
        { op: 'putProgress', value: progressData(asinOf(2)) },
        { op: 'putProgress', value: progressData(asinOf(4)) },
      ]);
      const found = await ctx.store().getProgresses(owner, [asinOf(4), asinOf(1), asinOf(9), asinOf(1)]);
      expect(found.map((progress) => progress.asin).sort()).toEqual([asinOf(1), asinOf(4)]);
      expect(found.find((progress) => progress.asin === asinOf(1))).toEqual(await ctx.store().getProgress(owner, asinOf(1)));
      expect(await ctx.store().getProgresses(owner, [])).toEqual([]);
      expect(await ctx.store().getProgresses(ctx.owner(), [asinOf(1)])).toEqual([]);
    });
  });

  describe('series slices', () => {
    const member = (asin: string, ...keys: string[]) =>
      bareTitle(asin, { series: keys.map((seriesKey, i) => ({ seriesKey, seriesAsin: null, seriesTitle: seriesKey, sequence: String(i + 1), position: { kind: 'number' as const, value: i + 1 } })) });

    it('getSeriesSlice returns the series that exist, each member title once and their progress, ordered, as the single reads do', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putSeries', value: seriesData('title:saga b') },
        { op: 'putSeries', value: seriesData('title:saga a') },
        { op: 'putSeries', value: seriesData('title:other') },
        { op: 'putTitle', value: member(asinOf(3), 'title:saga a') },
        { op: 'putTitle', value: member(asinOf(1), 'title:saga a', 'title:saga b') },
        { op: 'putTitle', value: member(asinOf(2), 'title:saga b') },
        { op: 'putTitle', value: member(asinOf(7), 'title:other') },
        { op: 'putTitle', value: member(asinOf(8)) },
        { op: 'putProgress', value: progressData(asinOf(1), { status: 'in_progress', percentComplete: 40 }) },
        { op: 'putProgress', value: progressData(asinOf(2)) },
        { op: 'putProgress', value: progressData(asinOf(7)) },
      ]);
      const slice = await ctx.store().getSeriesSlice(owner, ['title:saga b', 'title:missing', 'title:saga a', 'title:saga b']);
      expect(slice.series.map((series) => series.key)).toEqual(['title:saga a', 'title:saga b']);
      expect(slice.titles.map((title) => title.asin)).toEqual([asinOf(1), asinOf(2), asinOf(3)]);
      expect(slice.progress.map((progress) => progress.asin)).toEqual([asinOf(1), asinOf(2)]);
      // Whole, versioned records, equal to what the single reads return.
      expect(slice.series[0]).toEqual(await ctx.store().getSeries(owner, 'title:saga a'));
      expect(slice.titles[0]).toEqual(await ctx.store().getTitle(owner, asinOf(1)));
      expect(slice.progress[0]).toEqual(await ctx.store().getProgress(owner, asinOf(1)));
      // A title that leaves a series leaves its slice.
      await ctx.store().applyBatch(owner, [{ op: 'putTitle', value: member(asinOf(2), 'title:other') }]);
      expect((await ctx.store().getSeriesSlice(owner, ['title:saga b'])).titles.map((title) => title.asin)).toEqual([asinOf(1)]);
    });

    it('getSeriesSlice of no keys, unknown keys or another owner is empty', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [{ op: 'putSeries', value: seriesData('title:mine') }, { op: 'putTitle', value: member(asinOf(1), 'title:mine') }]);
      const empty = { series: [], titles: [], progress: [] };
      expect(await ctx.store().getSeriesSlice(owner, [])).toEqual(empty);
      expect(await ctx.store().getSeriesSlice(owner, ['title:nobody'])).toEqual(empty);
      expect(await ctx.store().getSeriesSlice(ctx.owner(), ['title:mine'])).toEqual(empty);
    });
  });

  describe('history', () => {
    it('is ordered by (at, id), instants compared as time, and scoped to its title', async () => {
      const owner = ctx.owner();
      const asin = asinOf(50);
      const entries = [
        historyData(asin, '01B', T1),
        historyData(asin, '01A', T1),
        // Same instant as T1 in another offset and precision: ordered as a time, not as text.
        historyData(asin, '01C', '2024-03-02T12:30:00+01:00'),
        historyData(asin, '00Z', T2),
        historyData(asin, '09Z', T0),
        historyData(asin, '05M', '2024-03-02T11:30:00.5Z'),
        historyData(asinOf(51), '00A', T0),
      ];
      await ctx.store().applyBatch(
        owner,
        entries.map((value) => ({ op: 'appendHistory' as const, value })),
      );
      expect((await ctx.store().listHistory(owner, asin)).items.map((entry) => entry.id)).toEqual(['09Z', '01A', '01B', '01C', '05M', '00Z']);
      expect((await ctx.store().listHistory(owner, asinOf(51))).items.map((entry) => entry.id)).toEqual(['00A']);
      expect((await ctx.store().listHistory(owner, asinOf(52))).items).toEqual([]);
    });

    it('appending an entry whose id exists is a no-op, also across batches', async () => {
      const owner = ctx.owner();
      const asin = asinOf(53);
      const first = historyData(asin, 'retry-me', T0, { note: 'first' });
      await ctx.store().applyBatch(owner, [{ op: 'appendHistory', value: first }]);
      await ctx.store().applyBatch(owner, [{ op: 'appendHistory', value: { ...first, note: 'second', at: T2 } }]);
      expect((await ctx.store().listHistory(owner, asin)).items).toEqual([{ ...first, ownerId: owner }]);
    });
  });

  describe('tracker books, links, conflicts and decisions', () => {
    it('lists tracker books by (source, trackerId), optionally of one source, and deletes them', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putTrackerBook', value: trackerBookData('storygraph', 'b') },
        { op: 'putTrackerBook', value: trackerBookData('goodreads', 'z') },
        { op: 'putTrackerBook', value: trackerBookData('goodreads', 'a') },
        { op: 'putTrackerBook', value: trackerBookData('goodreads', 'a', { title: 'Replaced' }) },
      ]);
      const listed = (await ctx.store().listTrackerBooks(owner)).items;
      expect(listed.map((book) => `${book.source}/${book.trackerId}`)).toEqual(['goodreads/a', 'goodreads/z', 'storygraph/b']);
      expect(listed[0]!.title).toBe('Replaced');
      expect((await ctx.store().listTrackerBooks(owner, { source: 'storygraph' })).items.map((book) => book.trackerId)).toEqual(['b']);
      await ctx.store().applyBatch(owner, [{ op: 'deleteTrackerBook', source: 'goodreads', trackerId: 'a' }]);
      expect(await ctx.store().getTrackerBook(owner, 'goodreads', 'a')).toBeNull();
      expect((await ctx.store().listTrackerBooks(owner)).items).toHaveLength(2);
    });

    it('keeps one link per (asin, source), ordered by (asin, source), with AND filters', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putLink', value: linkData(asinOf(2), 'notion', 'a-page') },
        { op: 'putLink', value: linkData(asinOf(1), 'notion', 'c-page') },
        { op: 'putLink', value: linkData(asinOf(1), 'goodreads', 'z-old') },
        { op: 'putLink', value: linkData(asinOf(1), 'goodreads', 'z-new', { method: 'manual', score: 1 }) },
      ]);
      const links = (await ctx.store().listLinks(owner)).items;
      expect(links.map((link) => `${link.asin}/${link.source}/${link.trackerId}`)).toEqual([
        `${asinOf(1)}/goodreads/z-new`,
        `${asinOf(1)}/notion/c-page`,
        `${asinOf(2)}/notion/a-page`,
      ]);
      expect(links[0]).toMatchObject({ method: 'manual', score: 1 });
      expect((await ctx.store().listLinks(owner, { source: 'notion' })).items.map((link) => link.trackerId)).toEqual(['c-page', 'a-page']);
      expect((await ctx.store().listLinks(owner, { asin: asinOf(1), source: 'notion' })).items.map((link) => link.trackerId)).toEqual(['c-page']);
      expect((await ctx.store().listLinks(owner, { trackerId: 'z-new' })).items.map((link) => link.asin)).toEqual([asinOf(1)]);
      expect((await ctx.store().listLinks(owner, { trackerId: 'z-old' })).items).toEqual([]);
      expect((await ctx.store().listLinks(owner, { asin: asinOf(2), source: 'goodreads' })).items).toEqual([]);
      await ctx.store().applyBatch(owner, [{ op: 'deleteLink', asin: asinOf(1), source: 'goodreads' }]);
      expect((await ctx.store().listLinks(owner, { asin: asinOf(1) })).items).toHaveLength(1);
    });

    it('filters conflicts by status, orders them by id and deletes them', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putConflict', value: conflictData('notion', 'p2') },
        { op: 'putConflict', value: conflictData('goodreads', 'g1', { status: 'resolved', resolvedAt: T2 }) },
        { op: 'putConflict', value: conflictData('csv', 'c1') },
      ]);
      expect((await ctx.store().listConflicts(owner)).items.map((conflict) => conflict.id)).toEqual(['csv:c1', 'goodreads:g1', 'notion:p2']);
      expect((await ctx.store().listConflicts(owner, { status: 'open' })).items.map((conflict) => conflict.id)).toEqual(['csv:c1', 'notion:p2']);
      expect((await ctx.store().listConflicts(owner, { status: 'resolved' })).items.map((conflict) => conflict.id)).toEqual(['goodreads:g1']);
      await ctx.store().applyBatch(owner, [{ op: 'deleteConflict', id: 'csv:c1' }]);
      expect((await ctx.store().listConflicts(owner, { status: 'open' })).items.map((conflict) => conflict.id)).toEqual(['notion:p2']);
    });

    it('remembers one decision per (source, trackerId, asin), a null asin included', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putDecision', value: decisionData('goodreads', 'g1', asinOf(2)) },
        { op: 'putDecision', value: decisionData('goodreads', 'g1', null) },
        { op: 'putDecision', value: decisionData('goodreads', 'g1', asinOf(1)) },
        { op: 'putDecision', value: decisionData('csv', 'c1', asinOf(1)) },
        { op: 'putDecision', value: decisionData('goodreads', 'g0', asinOf(1)) },
        // Replaces the earlier (goodreads, g1, asin 2): a person changed their mind.
        { op: 'putDecision', value: decisionData('goodreads', 'g1', asinOf(2), { decision: 'reject', decidedAt: T2 }) },
        { op: 'putDecision', value: decisionData('goodreads', 'g1', null, { decidedAt: T2 }) },
      ]);
      const all = (await ctx.store().listDecisions(owner)).items;
      expect(all.map((d) => `${d.source}/${d.trackerId}/${d.asin ?? '-'}/${d.decision}`)).toEqual([
        `csv/c1/${asinOf(1)}/link`,
        `goodreads/g0/${asinOf(1)}/link`,
        'goodreads/g1/-/reject',
        `goodreads/g1/${asinOf(1)}/link`,
        `goodreads/g1/${asinOf(2)}/reject`,
      ]);
      expect(all.find((d) => d.asin === null)?.decidedAt).toBe(T2);
      expect((await ctx.store().listDecisions(owner, { source: 'csv' })).items).toHaveLength(1);
      expect((await ctx.store().listDecisions(owner, { source: 'goodreads', trackerId: 'g1' })).items.map((d) => d.asin)).toEqual([null, asinOf(1), asinOf(2)]);
      expect((await ctx.store().listDecisions(owner, { trackerId: 'g0' })).items).toHaveLength(1);

      await ctx.store().applyBatch(owner, [{ op: 'deleteDecision', source: 'goodreads', trackerId: 'g1', asin: null }]);
      expect((await ctx.store().listDecisions(owner, { trackerId: 'g1' })).items.map((d) => d.asin)).toEqual([asinOf(1), asinOf(2)]);
      await ctx.store().applyBatch(owner, [{ op: 'deleteDecision', source: 'goodreads', trackerId: 'g1', asin: asinOf(2) }]);
      expect((await ctx.store().listDecisions(owner, { trackerId: 'g1' })).items.map((d) => d.asin)).toEqual([asinOf(1)]);
    });
  });

  describe('sync runs', () => {
    it('lists newest first (ties by id, newest id first), with a kind filter and a limit', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putSyncRun', value: syncRunData('r1', T0) },
        { op: 'putSyncRun', value: syncRunData('r3', T2, { kind: 'match' }) },
        { op: 'putSyncRun', value: syncRunData('r2a', T1) },
        { op: 'putSyncRun', value: syncRunData('r2b', '2024-03-02T12:30:00+01:00', { kind: 'match' }) },
        { op: 'putSyncRun', value: syncRunData('r0', '2024-03-01T09:59:59.999Z', { kind: 'notion_push' }) },
      ]);
      expect((await ctx.store().listSyncRuns(owner)).items.map((run) => run.id)).toEqual(['r3', 'r2b', 'r2a', 'r1', 'r0']);
      expect((await ctx.store().listSyncRuns(owner, { limit: 2 })).items.map((run) => run.id)).toEqual(['r3', 'r2b']);
      expect((await ctx.store().listSyncRuns(owner, { kind: 'match' })).items.map((run) => run.id)).toEqual(['r3', 'r2b']);
      expect((await ctx.store().listSyncRuns(owner, { kind: 'import', limit: 1 })).items.map((run) => run.id)).toEqual(['r2a']);
      expect((await ctx.store().listSyncRuns(owner, { kind: 'cleanup' })).items).toEqual([]);
      await expectFailure(ctx.store().listSyncRuns(owner, { limit: -1 }), 'invalid_input');
      await expectFailure(ctx.store().listSyncRuns(owner, { limit: 0 }), 'invalid_input');
    });

    it('a put with the same id updates the run (running, then succeeded)', async () => {
      const owner = ctx.owner();
      const running = syncRunData('run-x', T0, { status: 'running', finishedAt: null });
      await ctx.store().applyBatch(owner, [{ op: 'putSyncRun', value: running }]);
      const done = { ...running, status: 'succeeded' as const, finishedAt: T1, counts: { created: 10, updated: 0, unchanged: 0, failed: 0 } };
      await ctx.store().applyBatch(owner, [{ op: 'putSyncRun', value: done }]);
      expect((await ctx.store().listSyncRuns(owner)).items).toEqual([{ ...done, ownerId: owner }]);
    });

    it("purgeSyncRuns deletes the owner's runs that started before the bound, instants compared as time, and no one else's", async () => {
      const owner = ctx.owner();
      const other = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putSyncRun', value: syncRunData('old-a', T0) },
        // 11:29:59.999Z, before the bound though its text sorts after it.
        { op: 'putSyncRun', value: syncRunData('old-b', '2024-03-02T12:29:59.999+01:00', { kind: 'match' }) },
        { op: 'putSyncRun', value: syncRunData('at-bound', '2024-03-02T12:30:00.000+01:00') },
        { op: 'putSyncRun', value: syncRunData('new', T2) },
      ]);
      await ctx.store().applyBatch(other, [{ op: 'putSyncRun', value: syncRunData('theirs', T0) }]);
      // The bound is an instant: a run that started at it (written in another offset) stays.
      expect(await ctx.store().purgeSyncRuns(owner, new Date(T1))).toBe(2);
      expect((await ctx.store().listSyncRuns(owner)).items.map((run) => run.id)).toEqual(['new', 'at-bound']);
      expect((await ctx.store().listSyncRuns(owner, { kind: 'match' })).items).toEqual([]);
      expect(await ctx.store().purgeSyncRuns(owner, new Date(T1)), 'safe to repeat').toBe(0);
      expect((await ctx.store().listSyncRuns(other)).items.map((run) => run.id)).toEqual(['theirs']);
      await expectFailure(ctx.store().purgeSyncRuns(owner, new Date(Number.NaN)), 'invalid_input', 'startedBefore');
    });
  });

  describe('deletes', () => {
    it('removes titles, series, settings and credentials; deleting what is missing is a no-op', async () => {
      const owner = ctx.owner();
      await ctx.store().applyBatch(owner, [
        { op: 'putTitle', value: bareTitle(asinOf(60)) },
        { op: 'putTitle', value: bareTitle(asinOf(61)) },
        { op: 'putSeries', value: seriesData('title:s') },
        { op: 'putSetting', key: 'a', value: 1 },
        { op: 'putCredential', value: { name: 'notion', ciphertext: 'v1.raw..a.b.c', updatedAt: T0 } },
      ]);
      const result = await ctx.store().applyBatch(owner, [
        { op: 'deleteTitle', asin: asinOf(60) },
        { op: 'deleteSeries', key: 'title:s' },
        { op: 'deleteSetting', key: 'a' },
        { op: 'deleteCredential', name: 'notion' },
        { op: 'deleteTitle', asin: asinOf(69) },
        { op: 'deleteSetting', key: 'never-set' },
        { op: 'deleteTrackerBook', source: 'csv', trackerId: 'never' },
        { op: 'deleteConflict', id: 'never' },
      ]);
      expect(result.applied).toBe(8);
      expect((await ctx.store().listTitles(owner)).items.map((title) => title.asin)).toEqual([asinOf(61)]);
      expect((await ctx.store().listSeries(owner)).items).toEqual([]);
      expect(await ctx.store().getSetting(owner, 'a')).toBeNull();
      expect((await ctx.store().listCredentialNames(owner)).items).toEqual([]);
      // A deleted title can be created again from scratch.
      await ctx.store().applyBatch(owner, [{ op: 'putTitle', value: bareTitle(asinOf(60)), expectedVersion: null }]);
      expect((await ctx.store().getTitle(owner, asinOf(60)))?.version).toBe(1);
    });
  });
}
