import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Progress } from '../model/progress.js';
import { applyProgressReport, listeningEventToReport, statusFrom, type ProgressContext, type ProgressInput } from './apply-progress.js';
import { historyIdFor } from './history-id.js';

const ASIN = 'B0TESTBOOK';
const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-02-01T10:00:00.000Z';
const T2 = '2026-03-01T10:00:00.000Z';
const ctx = (over: Partial<ProgressContext> = {}): ProgressContext => ({ ownerId: 'local', source: 'sync', now: T2, ...over });

function stored(over: Partial<Progress> = {}): Progress {
  return {
    ownerId: 'local', asin: ASIN, status: 'in_progress', percentComplete: 40, isFinished: false, startedAt: T0, finishedAt: null,
    lastPositionMs: null, finishCount: 0, version: 3, updatedAt: T0, ...over,
  };
}
const finishedAtT1 = (over: Partial<Progress> = {}) =>
  stored({ status: 'finished', percentComplete: 100, isFinished: true, finishedAt: T1, finishCount: 1, ...over });

/** Applies `next` back as stored state, as a store would. */
const persist = (current: Progress | null, next: NonNullable<ReturnType<typeof applyProgressReport>['next']>): Progress => ({
  ...next, ownerId: 'local', version: (current?.version ?? 0) + 1,
});

describe('statusFrom', () => {
  it.each<[number, boolean, string]>([
    [0, false, 'not_started'],
    [0.1, false, 'in_progress'],
    [99.9, false, 'in_progress'],
    [100, false, 'finished'],
    [0, true, 'finished'],
    [42, true, 'finished'],
  ])('%d %% finished=%s -> %s', (percent, finished, status) => {
    expect(statusFrom(percent, finished)).toBe(status);
  });
});

describe('applyProgressReport', () => {
  type Case = {
    name: string;
    current: Progress | null;
    report: Omit<ProgressInput, 'asin'>;
    ctx?: Partial<ProgressContext>;
    expect: { status?: string; percent?: number; event?: string | null; ignored?: boolean; finishCount?: number; finishedAt?: string | null; startedAt?: string | null };
  };
  const cases: Case[] = [
    { name: 'first progress starts the title', current: null, report: { percentComplete: 12 }, expect: { status: 'in_progress', percent: 12, event: 'started', startedAt: T2 } },
    { name: 'nothing to record for an unstarted title', current: null, report: { percentComplete: 0, isFinished: false }, expect: { event: null } },
    { name: 'more progress', current: stored(), report: { percentComplete: 55 }, expect: { status: 'in_progress', percent: 55, event: 'progressed', startedAt: T0 } },
    { name: 'seeking back while in progress is allowed', current: stored(), report: { percentComplete: 30 }, expect: { percent: 30, event: 'progressed' } },
    { name: 'in progress does not drop to not started without the user', current: stored(), report: { percentComplete: 0 }, expect: { status: 'in_progress', percent: 0, event: 'progressed' } },
    { name: 'finished flag finishes', current: stored(), report: { isFinished: true, percentComplete: 97 }, expect: { status: 'finished', percent: 100, event: 'finished', finishCount: 1, finishedAt: null } },
    // A source that says only "finished" gives no finish date; an event happening now does.
    { name: 'a finish date only from a source that has one', current: stored(), report: { isFinished: true, finishedAt: T1 }, expect: { status: 'finished', event: 'finished', finishedAt: T1 } },
    { name: 'a manual finish happens now', current: stored(), report: { isFinished: true }, ctx: { source: 'manual' }, expect: { status: 'finished', event: 'finished', finishedAt: T2 } },
    { name: '100 % finishes', current: stored(), report: { percentComplete: 100 }, expect: { status: 'finished', event: 'finished', finishCount: 1 } },
    { name: 'finish time from the source is kept', current: null, report: { isFinished: true, finishedAt: T1 }, expect: { status: 'finished', finishedAt: T1, event: 'finished', startedAt: T2 } },
    { name: 'a finished title ignores 3 %', current: finishedAtT1(), report: { percentComplete: 3 }, expect: { event: null, ignored: true } },
    { name: 'a finished title ignores 0 % with unknown flag', current: finishedAtT1(), report: { percentComplete: 0, isFinished: null }, expect: { event: null, ignored: true } },
    { name: 'a finished title ignores isFinished false at 0 %', current: finishedAtT1(), report: { percentComplete: 0, isFinished: false }, expect: { event: null, ignored: true } },
    { name: 'a stale unfinished report (observed before the finish) is ignored', current: finishedAtT1(), report: { percentComplete: 50, isFinished: false, observedAt: T0 }, expect: { event: null, ignored: true } },
    { name: 'an empty report is no regression', current: finishedAtT1(), report: {}, expect: { event: null, ignored: false } },
    { name: 'finished again changes nothing', current: finishedAtT1(), report: { isFinished: true, finishedAt: T2 }, expect: { event: null, ignored: false } },
    {
      name: 're-listen detected',
      current: finishedAtT1(),
      report: { percentComplete: 2, isFinished: false, finishedAt: T1, observedAt: T2 },
      expect: { status: 'in_progress', percent: 2, event: 'restarted', finishCount: 1, finishedAt: T1, startedAt: T2 },
    },
    { name: 'no re-listen without an observation time', current: finishedAtT1(), report: { percentComplete: 2, isFinished: false }, expect: { event: null, ignored: true } },
    { name: 'a report older than the current round is stale', current: stored({ startedAt: T1 }), report: { percentComplete: 90, observedAt: T0 }, expect: { event: null, ignored: false } },
    { name: 'a finish older than a re-listen is stale', current: stored({ startedAt: T2, finishedAt: T1, finishCount: 1 }), report: { isFinished: true, observedAt: T1 }, expect: { event: null } },
    { name: 'the user overrides even with an old time', current: finishedAtT1(), report: { percentComplete: 0, isFinished: false, observedAt: T0 }, ctx: { userOverride: true }, expect: { status: 'not_started', event: 'reset' } },
    { name: 'the user un-finishes with a percent', current: finishedAtT1(), report: { percentComplete: 3 }, ctx: { userOverride: true, source: 'manual' }, expect: { status: 'in_progress', percent: 3, event: 'restarted', finishCount: 1 } },
    { name: 'the user resets', current: finishedAtT1(), report: { percentComplete: 0, isFinished: false }, ctx: { userOverride: true }, expect: { status: 'not_started', percent: 0, event: 'reset', startedAt: null, finishCount: 1 } },
    { name: 'the user resets an in-progress title', current: stored(), report: { percentComplete: 0, isFinished: false }, ctx: { userOverride: true }, expect: { status: 'not_started', event: 'reset' } },
    { name: 'a started signal at 0 % starts', current: null, report: { isFinished: false, started: true }, ctx: { userOverride: true }, expect: { status: 'in_progress', percent: 0, event: 'started' } },
    { name: 'a started signal on a finished title restarts it', current: finishedAtT1(), report: { isFinished: false, started: true }, ctx: { userOverride: true }, expect: { status: 'in_progress', percent: 0, event: 'restarted', finishCount: 1 } },
    { name: 'a started signal on an in-progress title changes nothing', current: stored(), report: { isFinished: false, started: true }, ctx: { userOverride: true }, expect: { event: null } },
    { name: 'finishing a re-listen counts a second finish', current: stored({ finishCount: 1, finishedAt: T0 }), report: { isFinished: true }, expect: { status: 'finished', event: 'finished', finishCount: 2, finishedAt: null } },
    { name: 'position only', current: stored(), report: { lastPositionMs: 5000 }, expect: { status: 'in_progress', percent: 40, event: 'progressed' } },
  ];

  it.each(cases)('$name', (c) => {
    const out = applyProgressReport(c.current, { asin: ASIN, ...c.report }, ctx(c.ctx));
    const e = c.expect;
    expect(out.ignoredRegression).toBe(e.ignored ?? false);
    if (e.event === null) {
      expect(out.next).toBeNull();
      expect(out.history).toEqual([]);
      return;
    }
    expect(out.next).not.toBeNull();
    const next = out.next!;
    if (e.status) expect(next.status).toBe(e.status);
    if (e.percent !== undefined) expect(next.percentComplete).toBe(e.percent);
    if (e.finishCount !== undefined) expect(next.finishCount).toBe(e.finishCount);
    if (e.finishedAt !== undefined) expect(next.finishedAt).toBe(e.finishedAt);
    if (e.startedAt !== undefined) expect(next.startedAt).toBe(e.startedAt);
    expect(next.updatedAt).toBe(T2);
    expect(out.history).toHaveLength(1);
    expect(out.history[0]).toMatchObject({
      asin: ASIN,
      event: e.event,
      source: c.ctx?.source ?? 'sync',
      fromStatus: c.current?.status ?? null,
      toStatus: next.status,
      fromPercent: c.current?.percentComplete ?? null,
      toPercent: next.percentComplete,
    });

    // Idempotent: the same report against its own result changes nothing.
    const again = applyProgressReport(persist(c.current, next), { asin: ASIN, ...c.report }, ctx({ ...c.ctx, now: '2026-04-01T00:00:00.000Z' }));
    expect(again.next).toBeNull();
    expect(again.history).toEqual([]);
  });

  it('notes a detected re-listen', () => {
    const out = applyProgressReport(finishedAtT1(), { asin: ASIN, percentComplete: 2, isFinished: false, observedAt: T2 }, ctx());
    expect(out.history[0]?.note).toBe('re-listen detected');
  });

  it('derives the same history id for the same change', () => {
    const report = { asin: ASIN, percentComplete: 20, observedAt: T1 };
    const a = applyProgressReport(null, report, ctx({ now: T1 }));
    const b = applyProgressReport(null, report, ctx({ now: T2 }));
    expect(a.history[0]!.id).toBe(b.history[0]!.id);
    expect(a.history[0]!.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('historyIdFor', () => {
  it('is stable, time-ordered and differs by content', () => {
    const a = historyIdFor(ASIN, T0, 'started', 10);
    expect(historyIdFor(ASIN, T0, 'started', 10)).toBe(a);
    expect(historyIdFor(ASIN, T0, 'started', 11)).not.toBe(a);
    expect(historyIdFor('B0OTHER000', T0, 'started', 10)).not.toBe(a);
    expect(historyIdFor(ASIN, T1, 'started', 10) > a).toBe(true);
  });

  it('rarely collides', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) ids.add(historyIdFor(`B0${String(i).padStart(8, '0')}`, T0, 'progressed', i % 100));
    expect(ids.size).toBe(20_000);
  });
});

describe('listeningEventToReport', () => {
  it.each([
    [{ asin: ASIN, kind: 'started' as const }, { percentComplete: null, isFinished: false, started: true }, true],
    [{ asin: ASIN, kind: 'started' as const, percent: 5, at: T1 }, { percentComplete: 5, isFinished: false, started: true, observedAt: T1 }, true],
    [{ asin: ASIN, kind: 'finished' as const, at: T1 }, { percentComplete: 100, isFinished: true, finishedAt: T1, observedAt: T1 }, false],
    [{ asin: ASIN, kind: 'progress' as const, percent: 30 }, { percentComplete: 30, isFinished: null }, false],
    [{ asin: ASIN, kind: 'progress' as const, percent: 100 }, { percentComplete: 100, isFinished: true }, false],
    [{ asin: ASIN, kind: 'reset' as const }, { percentComplete: 0, isFinished: false }, true],
  ])('%j', (event, report, override) => {
    const out = listeningEventToReport(event);
    expect(out.report).toEqual({ asin: ASIN, ...report });
    expect(out.userOverride).toBe(override);
  });

  it('a progress event cannot un-finish, a started event can', () => {
    const progress = listeningEventToReport({ asin: ASIN, kind: 'progress', percent: 3 });
    expect(applyProgressReport(finishedAtT1(), progress.report, ctx({ userOverride: progress.userOverride })).ignoredRegression).toBe(true);
    const started = listeningEventToReport({ asin: ASIN, kind: 'started' });
    expect(applyProgressReport(finishedAtT1(), started.report, ctx({ userOverride: started.userOverride })).next?.status).toBe('in_progress');
  });
});

describe('applyProgressReport properties', () => {
  const times = ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'];
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const reportArb = fc.record({
    percentComplete: maybe(fc.option(fc.constantFrom(0, 2, 50, 99, 100), { nil: null })),
    isFinished: maybe(fc.option(fc.boolean(), { nil: null })),
    finishedAt: maybe(fc.constantFrom(...times)),
    lastPositionMs: maybe(fc.integer({ min: 0, max: 10 })),
    observedAt: maybe(fc.constantFrom(...times)),
    started: maybe(fc.boolean()),
  });
  const historyArb = fc.array(fc.tuple(reportArb, fc.boolean(), fc.constantFrom(...times)), { maxLength: 6 });

  function replay(steps: Array<[Omit<ProgressInput, 'asin'>, boolean, string]>): Progress | null {
    let state: Progress | null = null;
    for (const [report, userOverride, now] of steps) {
      const out = applyProgressReport(state, { asin: ASIN, ...report }, ctx({ userOverride, now }));
      if (out.next) state = persist(state, out.next);
    }
    return state;
  }

  it('applying a report to its own result changes nothing', () => {
    fc.assert(
      fc.property(historyArb, reportArb, fc.boolean(), (steps, report, userOverride) => {
        const state = replay(steps);
        const first = applyProgressReport(state, { asin: ASIN, ...report }, ctx({ userOverride, now: times[1]! }));
        if (!first.next) return;
        const again = applyProgressReport(persist(state, first.next), { asin: ASIN, ...report }, ctx({ userOverride, now: times[2]! }));
        expect(again.next).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('a finished title leaves finished only by a re-listen or the user, and finishCount never drops', () => {
    fc.assert(
      fc.property(historyArb, reportArb, (steps, report) => {
        const state = replay(steps);
        const out = applyProgressReport(state, { asin: ASIN, ...report }, ctx());
        if (!state || !out.next) return;
        expect(out.next.finishCount).toBeGreaterThanOrEqual(state.finishCount);
        expect(statusFrom(out.next.percentComplete, out.next.isFinished) === 'finished').toBe(out.next.status === 'finished');
        if (state.status === 'finished' && out.next.status !== 'finished') {
          expect(out.history[0]?.event).toBe('restarted');
          expect(report.isFinished).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
