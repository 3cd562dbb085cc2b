import { createMemoryStorage } from '@sagasync/storage';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyListeningEvent,
  buildSeriesReport,
  cleanupSynthetic,
  countSeriesStatuses,
  importLibrary,
  readSequence,
  recomputeSeries,
  resolveRuleOptions,
  SERIES_STATUS_KIND,
  type LibraryRecords,
  type UseCaseContext,
} from '../src/index.js';

const SERIES = ['B0SERIESA0', 'B0SERIESB0', 'B0SERIESC0'];
const asinOf = (s: number, v: number) => `B0S${s}V${String(v).padStart(5, '0')}`;

/** Three series of four volumes; which are owned and how far each was listened to varies. */
function library(owned: boolean[], percents: number[]): LibraryRecords {
  const titles = SERIES.flatMap((key, s) =>
    [1, 2, 3, 4].map((v) => ({
      asin: asinOf(s, v),
      title: `Volume ${v}`,
      authors: ['A'],
      narrators: [],
      owned: owned[s * 4 + v - 1] ?? true,
      series: [{ seriesKey: key, seriesAsin: key, seriesTitle: `Series ${s}`, ...readSequence(String(v)) }],
    })),
  );
  const progress = titles.filter((t) => t.owned).map((t, i) => ({ asin: t.asin, percentComplete: percents[i] ?? 0, isFinished: (percents[i] ?? 0) === 100 }));
  return { titles, series: SERIES.map((key, s) => ({ key, asin: key, title: `Series ${s}`, catalogueComplete: true })), progress };
}

/** The counts the whole series report gives: what the cache must always agree with. */
async function reportCounts(ctx: UseCaseContext) {
  const counts = { total: 0, not_started: 0, in_progress: 0, caught_up: 0, complete: 0 };
  for (const view of await buildSeriesReport(ctx)) {
    counts.total++;
    counts[view.status]++;
  }
  return counts;
}

const cachedCounts = async (ctx: UseCaseContext) => countSeriesStatuses(ctx, await resolveRuleOptions(ctx));

describe('cached series statuses', () => {
  it('agree with the series report after every kind of change, and are kept for the next read', async () => {
    let ms = Date.parse('2026-12-01T10:00:00.000Z');
    const ctx: UseCaseContext = { storage: createMemoryStorage(), ownerId: 'o', clock: () => new Date((ms += 1000)) };
    await importLibrary(ctx, library([true, true, false, true, true, true, true, true, false, false, false, true], [100, 40]), { commit: true });
    expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));
    expect((await ctx.storage.listExpiring('o', SERIES_STATUS_KIND, new Date(ms))).items).toHaveLength(3);

    await applyListeningEvent(ctx, { asin: asinOf(1, 1), kind: 'finished', source: 'manual' });
    expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));
    // The event refreshed its series' status itself: nothing is missing from the cache.
    expect((await ctx.storage.listExpiring('o', SERIES_STATUS_KIND, new Date(ms))).items).toHaveLength(3);

    await importLibrary(ctx, library(Array(12).fill(true), Array(12).fill(100)), { commit: true });
    expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));
    expect((await cachedCounts(ctx)).complete).toBe(3);

    // Other rules: the cached statuses do not apply, and are derived again.
    await ctx.storage.applyBatch('o', [{ op: 'putSetting', key: 'rules', value: { novellasRequired: true, inferGaps: false } }]);
    expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));

    await recomputeSeries(ctx);
    await cleanupSynthetic(ctx, { dryRun: false });
    expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));
  });

  it('agree with the report after any sequence of imports and listening events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('import' as const), owned: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), percents: fc.array(fc.constantFrom(0, 30, 100), { minLength: 12, maxLength: 12 }) }),
            fc.record({ kind: fc.constant('event' as const), s: fc.integer({ min: 0, max: 2 }), v: fc.integer({ min: 1, max: 4 }), event: fc.constantFrom('started' as const, 'finished' as const, 'reset' as const) }),
            fc.record({ kind: fc.constant('read' as const) }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (steps) => {
          let ms = Date.parse('2026-12-01T10:00:00.000Z');
          const ctx: UseCaseContext = { storage: createMemoryStorage(), ownerId: 'o', clock: () => new Date((ms += 1000)) };
          for (const step of steps) {
            if (step.kind === 'import') await importLibrary(ctx, library(step.owned, step.percents), { commit: true });
            else if (step.kind === 'event') await applyListeningEvent(ctx, { asin: asinOf(step.s, step.v), kind: step.event, source: 'manual' }).catch(() => undefined);
            else await cachedCounts(ctx);
            expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('expire: a month later every status is derived again', async () => {
    let ms = Date.parse('2026-12-01T10:00:00.000Z');
    const ctx: UseCaseContext = { storage: createMemoryStorage(), ownerId: 'o', clock: () => new Date(ms) };
    await importLibrary(ctx, library(Array(12).fill(true), []), { commit: true });
    await cachedCounts(ctx);
    ms += 31 * 24 * 60 * 60 * 1000;
    expect((await ctx.storage.listExpiring('o', SERIES_STATUS_KIND, new Date(ms))).items).toHaveLength(0);
    expect(await cachedCounts(ctx)).toEqual(await reportCounts(ctx));
  });
});
