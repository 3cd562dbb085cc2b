import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ListeningStatus, Progress } from '../model/progress.js';
import type { SeriesStatus } from '../model/series.js';
import type { Title } from '../model/title.js';
import { parseSequence } from '../sequence/parse-sequence.js';
import { deriveSeriesView, SeriesViewSchema, type SeriesLike, type SeriesRuleOptions, type SeriesVolumeInput } from './derive-series-status.js';

const NOW = '2026-11-25T09:00:00.000Z';
const SERIES: SeriesLike = { key: 'B0SERIES01', title: 'The Saga', asin: 'B0SERIES01', catalogueComplete: false };

let counter = 0;
interface VolumeSpec {
  owned?: boolean;
  status?: ListeningStatus;
  release?: string;
  asin?: string;
  name?: string;
  percent?: number;
  /** When the volume was last listened to. */
  listenedAt?: string;
  forSale?: boolean;
}

function title(asin: string, name: string, owned: boolean, releaseDate: string | null, series: Title['series']): Title {
  return {
    ownerId: 'local', asin, title: name, subtitle: null, authors: ['A. Author'], narrators: [], runtimeMinutes: 600,
    releaseDate, purchaseDate: null, coverUrl: null, language: 'english', marketplace: 'us', sourceAccount: null,
    owned, isPodcast: false, contributors: [], forSale: null, series, version: 1, createdAt: NOW, updatedAt: NOW,
  };
}

function progress(asin: string, status: ListeningStatus): Progress {
  const finished = status === 'finished';
  return {
    ownerId: 'local', asin, status, percentComplete: finished ? 100 : status === 'in_progress' ? 40 : 0, isFinished: finished,
    startedAt: status === 'not_started' ? null : NOW, finishedAt: finished ? NOW : null, lastPositionMs: null,
    finishCount: finished ? 1 : 0, version: 1, updatedAt: NOW,
  };
}

/** One volume of SERIES at `sequence`; owned by default. */
function vol(sequence: string, spec: VolumeSpec = {}, series: SeriesLike = SERIES): SeriesVolumeInput {
  const asin = spec.asin ?? `B0VOL${String(++counter).padStart(5, '0')}`;
  const membership = { seriesKey: series.key, seriesAsin: series.asin, seriesTitle: series.title, sequence, position: parseSequence(sequence) };
  const t = title(asin, spec.name ?? `Book ${sequence}`, spec.owned ?? true, spec.release ?? '2020-01-01', [membership]);
  if (spec.forSale !== undefined) t.forSale = spec.forSale;
  const p = spec.status ? progress(asin, spec.status) : null;
  if (p && spec.percent !== undefined) p.percentComplete = spec.percent;
  if (p && spec.listenedAt !== undefined) p.changedAt = spec.listenedAt;
  return { title: t, membership, progress: p };
}
const reading = (sequence: string, spec: VolumeSpec = {}) => vol(sequence, { ...spec, status: 'in_progress' });
const fin = (sequence: string, spec: VolumeSpec = {}) => vol(sequence, { ...spec, status: 'finished' });
const listed = (sequence: string, spec: VolumeSpec = {}) => vol(sequence, { ...spec, owned: false });

interface Case {
  name: string;
  series?: Partial<SeriesLike>;
  volumes: () => SeriesVolumeInput[];
  options?: SeriesRuleOptions;
  status: SeriesStatus;
  missing?: Array<string | [string, { inferred?: boolean; novella?: boolean; upcoming?: boolean }]>;
  nextUp?: string | null;
  nextToBuy?: string | null;
  counts?: [owned: number, finished: number];
}

const cases: Case[] = [
  // Next up answers "what do I listen to next in this series".
  { name: 'next up: the book in progress, not an unread prequel (#2, #4 finished, #3 at 98 %)', volumes: () => [vol('0', { name: 'New Spring' }), fin('2'), reading('3', { percent: 98 }), fin('4')], status: 'in_progress', nextUp: '3' },
  { name: 'next up: the book in progress listened to most recently', volumes: () => [reading('1', { listenedAt: '2026-11-20T10:00:00.000Z' }), reading('3', { listenedAt: '2026-11-01T10:00:00.000Z' })], status: 'in_progress', nextUp: '1' },
  { name: 'next up: a tie in recency goes to the one furthest along', volumes: () => [reading('1'), reading('3')], status: 'in_progress', nextUp: '3' },
  { name: 'next up: a book in progress over an unread novella before it', volumes: () => [fin('1'), vol('1.5'), reading('2')], status: 'in_progress', nextUp: '2' },
  { name: 'next up: the first unfinished after the furthest finished', volumes: () => [vol('1'), fin('2'), vol('3'), fin('4'), vol('5')], status: 'in_progress', nextUp: '5' },
  { name: 'next up: #1 unread and #2 finished gives #1', volumes: () => [vol('1'), fin('2')], status: 'in_progress', nextUp: '1' },
  { name: 'next up: none for a complete series', volumes: () => [fin('1'), fin('2')], status: 'complete', nextUp: null },
  // A volume Audible cannot sell here is neither missing nor next to buy.
  { name: 'not for sale here: not missing, not next to buy', series: { catalogueComplete: true }, volumes: () => [fin('1'), listed('2', { forSale: false }), listed('3', { forSale: true })], status: 'caught_up', missing: ['3'], nextToBuy: '3' },
  { name: 'not for sale here: the series is complete without it', series: { catalogueComplete: true }, volumes: () => [fin('1'), listed('2', { forSale: false })], status: 'complete', missing: [], nextToBuy: null },
  { name: 'nothing owned has progress', volumes: () => [vol('1'), vol('2')], status: 'not_started', missing: [], nextUp: '1', nextToBuy: null, counts: [2, 0] },
  { name: 'plain series in progress', volumes: () => [fin('1'), vol('2', { status: 'in_progress' }), vol('3')], status: 'in_progress', missing: [], nextUp: '2', counts: [3, 1] },
  { name: 'plain series all finished', volumes: () => [fin('1'), fin('2'), fin('3')], status: 'complete', missing: [], nextUp: null, nextToBuy: null, counts: [3, 3] },
  {
    name: 'next_up skips finished volumes',
    volumes: () => [fin('1'), fin('2'), vol('3', { status: 'in_progress' }), vol('4')],
    status: 'in_progress',
    nextUp: '3',
  },
  { name: 'a started volume counts as progress', volumes: () => [vol('1', { status: 'in_progress' }), vol('2')], status: 'in_progress', nextUp: '1' },
  {
    name: 'gap between owned whole numbers is inferred missing',
    volumes: () => [fin('1'), fin('3')],
    status: 'caught_up',
    missing: [['2', { inferred: true }]],
    nextToBuy: '2',
  },
  { name: 'several gaps', volumes: () => [fin('1'), fin('4')], status: 'caught_up', missing: ['2', '3'], nextToBuy: '2' },
  { name: 'a long run of unknown numbers is a numbering scheme, not missing books', volumes: () => [fin('1'), fin('2'), fin('2019')], status: 'complete', missing: [] },
  { name: 'twenty unknown numbers in a row are still inferred', volumes: () => [fin('1'), fin('22')], status: 'caught_up', missing: Array.from({ length: 20 }, (_, i) => String(i + 2)) },
  { name: 'no inference when the catalogue is complete', series: { catalogueComplete: true }, volumes: () => [fin('1'), fin('3')], status: 'complete', missing: [] },
  { name: 'no inference when inferGaps is off', volumes: () => [fin('1'), fin('3')], options: { inferGaps: false }, status: 'complete', missing: [] },
  { name: 'a listed volume fills the gap instead of an inferred one', volumes: () => [fin('1'), listed('2'), fin('3')], status: 'caught_up', missing: [['2', { inferred: false }]] },
  { name: 'a prequel (0) is never inferred', volumes: () => [fin('1'), fin('2')], status: 'complete', missing: [] },
  { name: 'a listed prequel is missing', volumes: () => [listed('0'), fin('1')], status: 'caught_up', missing: ['0'], nextToBuy: '0' },
  { name: 'nothing beyond the highest owned volume is inferred', volumes: () => [fin('1'), fin('2'), vol('3')], status: 'in_progress', missing: [], nextUp: '3' },
  { name: 'omnibus 1-3 plus book 4', volumes: () => [fin('1-3'), fin('4')], status: 'complete', missing: [], counts: [2, 2] },
  { name: 'omnibus covers listed singles', series: { catalogueComplete: true }, volumes: () => [fin('1-3'), listed('2'), listed('4')], status: 'caught_up', missing: ['4'], nextToBuy: '4' },
  {
    name: 'a finished omnibus finishes an owned single inside it',
    volumes: () => [fin('Books 1–3'), vol('2'), vol('4')],
    status: 'in_progress',
    nextUp: '4',
    counts: [3, 2],
  },
  { name: 'an unfinished omnibus whose singles are finished counts finished', volumes: () => [fin('1'), fin('2'), fin('3'), vol('1-3')], status: 'complete', nextUp: null, counts: [4, 4] },
  { name: 'an unfinished omnibus is next up', volumes: () => [vol('1-3'), fin('4')], status: 'in_progress', nextUp: '1-3' },
  {
    name: 'a listed omnibus is not missing when its singles are listed',
    series: { catalogueComplete: true },
    volumes: () => [fin('1'), listed('2'), listed('3'), listed('1-3')],
    status: 'caught_up',
    missing: ['2', '3'],
  },
  { name: 'a listed omnibus is missing when it is the only way to get a volume', series: { catalogueComplete: true }, volumes: () => [fin('1'), listed('1-3')], status: 'caught_up', missing: ['1-3'] },
  { name: 'missing novella does not block complete', series: { catalogueComplete: true }, volumes: () => [fin('1'), fin('2'), listed('2.5'), fin('3')], status: 'complete', missing: [['2.5', { novella: true }]], nextToBuy: '2.5' },
  {
    name: 'missing novella blocks complete when required',
    series: { catalogueComplete: true },
    volumes: () => [fin('1'), fin('2'), listed('2.5'), fin('3')],
    options: { novellasRequired: true },
    status: 'caught_up',
    nextToBuy: '2.5',
  },
  { name: 'a required whole volume is bought before a novella', series: { catalogueComplete: true }, volumes: () => [fin('1'), listed('1.5'), listed('2')], status: 'caught_up', nextToBuy: '2' },
  { name: 'owned unfinished novella does not block complete', volumes: () => [fin('1'), fin('2'), vol('2.5'), fin('3')], status: 'complete', nextUp: null, counts: [4, 3] },
  { name: 'owned unfinished novella blocks when required', volumes: () => [fin('1'), fin('2'), vol('2.5'), fin('3')], options: { novellasRequired: true }, status: 'in_progress', nextUp: '2.5' },
  { name: 'a novella does not create inferred gaps', volumes: () => [fin('1'), fin('2.5')], status: 'complete', missing: [] },
  { name: 'caught_up: all owned finished, some missing', series: { catalogueComplete: true }, volumes: () => [fin('1'), fin('2'), listed('3')], status: 'caught_up', missing: ['3'], nextUp: null, nextToBuy: '3' },
  { name: 'upcoming listed volume', volumes: () => [fin('1'), fin('2'), listed('3', { release: '2027-03-01' })], status: 'caught_up', missing: [['3', { upcoming: true }]], nextToBuy: '3' },
  { name: 'owned pre-order does not block caught_up', volumes: () => [fin('1'), fin('2'), vol('3', { release: '2027-03-01' })], status: 'caught_up', nextUp: null, missing: [] },
  { name: 'all-synthetic series', volumes: () => [listed('1'), listed('2'), listed('3')], status: 'not_started', missing: ['1', '2', '3'], nextUp: null, nextToBuy: '1', counts: [0, 0] },
  { name: 'empty series', volumes: () => [], status: 'not_started', missing: [], nextUp: null, nextToBuy: null, counts: [0, 0] },
  {
    name: 'duplicate listings at one position are one missing volume',
    series: { catalogueComplete: true },
    volumes: () => [fin('1'), listed('2', { name: 'Book 2' }), listed('2, Dramatized Adaptation', { name: 'Book 2 (Dramatized)' })],
    status: 'caught_up',
    missing: ['2'],
  },
  { name: 'a listed volume the user owns in another edition is not missing', volumes: () => [fin('1'), fin('2'), listed('2')], status: 'complete', missing: [] },
  { name: 'owned volumes without a position count but make no gaps', volumes: () => [fin('1'), vol(''), fin('3')], status: 'in_progress', missing: ['2'], nextUp: '' },
  { name: 'listed volumes without a position are not missing', volumes: () => [fin('1'), listed('')], status: 'complete', missing: [] },
];

describe('deriveSeriesView', () => {
  it.each(cases)('$name', (c) => {
    counter = 0;
    const view = deriveSeriesView({ ...SERIES, ...c.series }, c.volumes(), { now: NOW, ...c.options });
    expect(view.status).toBe(c.status);
    if (c.missing !== undefined) {
      expect(view.missing.map((m) => m.sequence)).toEqual(c.missing.map((m) => (typeof m === 'string' ? m : m[0])));
      c.missing.forEach((m, i) => {
        if (typeof m !== 'string') expect(view.missing[i]).toMatchObject(m[1]);
      });
    }
    if (c.nextUp !== undefined) expect(view.nextUp?.sequence ?? null).toBe(c.nextUp);
    if (c.nextToBuy !== undefined) expect(view.nextToBuy?.sequence ?? null).toBe(c.nextToBuy);
    if (c.counts) expect([view.ownedCount, view.finishedCount]).toEqual(c.counts);
  });

  it('describes inferred and listed missing volumes fully', () => {
    const view = deriveSeriesView(SERIES, [fin('1'), listed('3', { asin: 'B0LISTED03', name: 'Third', release: '2027-01-01' }), fin('4')], { now: NOW });
    expect(view.missing).toEqual([
      { sequence: '2', position: 2, asin: null, title: null, inferred: true, novella: false, upcoming: false },
      { sequence: '3', position: 3, asin: 'B0LISTED03', title: 'Third', inferred: false, novella: false, upcoming: true },
    ]);
    expect(view.nextToBuy).toEqual({ asin: null, title: null, sequence: '2', inferred: true, upcoming: false });
  });

  it('sorts volumes by position, ranges by start, unpositioned last by title', () => {
    const view = deriveSeriesView(SERIES, [vol('', { name: 'Zed' }), vol('3'), vol('', { name: 'Companion' }), vol('1-3'), vol('1'), vol('2.5'), vol('0')], { now: NOW });
    expect(view.volumes.map((v) => v.sequence || v.title)).toEqual(['0', '1', '1-3', '2.5', '3', 'Companion', 'Zed']);
  });

  it('derives each series of a title in two series on its own (Dune is #1 of Dune and of Dune Saga)', () => {
    const dune: SeriesLike = { key: 'B0DUNE0000', title: 'Dune', asin: 'B0DUNE0000', catalogueComplete: true };
    const saga: SeriesLike = { key: 'B0DUNESAGA', title: 'Dune Saga', asin: 'B0DUNESAGA', catalogueComplete: false };
    const memberships = [dune, saga].map((s) => ({ seriesKey: s.key, seriesAsin: s.asin, seriesTitle: s.title, sequence: '1', position: parseSequence('1') }));
    const duneTitle = title('B0DUNEBOOK', 'Dune', true, '2007-01-01', memberships);
    const messiah = title('B0MESSIAH0', 'Dune Messiah', false, '2007-06-01', [{ ...memberships[0]!, sequence: '2', position: parseSequence('2') }]);
    const heretics = title('B0HERETICS', 'Heretics of Dune', true, '2008-01-01', [{ ...memberships[1]!, sequence: '5', position: parseSequence('5') }]);
    const p = progress('B0DUNEBOOK', 'finished');

    const duneView = deriveSeriesView(dune, [
      { title: duneTitle, membership: memberships[0]!, progress: p },
      { title: messiah, membership: messiah.series[0]!, progress: null },
    ], { now: NOW });
    const sagaView = deriveSeriesView(saga, [
      { title: duneTitle, membership: memberships[1]!, progress: p },
      { title: heretics, membership: heretics.series[0]!, progress: null },
    ], { now: NOW });

    expect(duneView).toMatchObject({ key: 'B0DUNE0000', status: 'caught_up', nextUp: null, nextToBuy: { asin: 'B0MESSIAH0', sequence: '2' } });
    expect(sagaView).toMatchObject({ key: 'B0DUNESAGA', status: 'in_progress', nextUp: { asin: 'B0HERETICS', sequence: '5' } });
    expect(sagaView.missing.map((m) => m.sequence)).toEqual(['2', '3', '4']);
  });

  it('is deterministic whatever the input order', () => {
    const inputs = [fin('1'), listed('2.5'), vol('4'), fin('1-3'), listed('6')];
    const a = deriveSeriesView(SERIES, inputs, { now: NOW });
    const b = deriveSeriesView(SERIES, [...inputs].reverse(), { now: NOW });
    expect(b).toEqual(a);
  });
});

describe('deriveSeriesView properties', () => {
  const volumeArb = fc.record({
    sequence: fc.constantFrom('0', '1', '2', '2.5', '3', '4', '1-3', '5', '7', ''),
    owned: fc.boolean(),
    status: fc.constantFrom<ListeningStatus | undefined>(undefined, 'not_started', 'in_progress', 'finished'),
    release: fc.constantFrom('2020-01-01', '2030-01-01'),
  });
  const inputArb = fc.record({
    volumes: fc.array(volumeArb, { maxLength: 10 }),
    catalogueComplete: fc.boolean(),
    novellasRequired: fc.boolean(),
    inferGaps: fc.boolean(),
  });
  const build = (specs: Array<{ sequence: string; owned: boolean; status: ListeningStatus | undefined; release: string }>) =>
    specs.map((s, i) => vol(s.sequence, { owned: s.owned, status: s.status, release: s.release, asin: `B0PROP${String(i).padStart(4, '0')}` }));

  it('keeps status, next up and missing consistent', () => {
    fc.assert(
      fc.property(inputArb, ({ volumes, catalogueComplete, novellasRequired, inferGaps }) => {
        const inputs = build(volumes);
        const view = deriveSeriesView({ ...SERIES, catalogueComplete }, inputs, { now: NOW, novellasRequired, inferGaps });
        const ownedAsins = new Set(inputs.filter((v) => v.title.owned).map((v) => v.title.asin));
        expect(view.ownedCount).toBe(ownedAsins.size);
        expect(view.finishedCount).toBeLessThanOrEqual(view.ownedCount);
        if (view.nextUp) expect(ownedAsins.has(view.nextUp.asin)).toBe(true);
        for (const m of view.missing) if (m.asin !== null) expect(ownedAsins.has(m.asin)).toBe(false);
        if (catalogueComplete || !inferGaps) expect(view.missing.every((m) => !m.inferred)).toBe(true);
        const requiredMissing = view.missing.filter((m) => novellasRequired || !m.novella);
        if (view.status === 'complete') expect(requiredMissing).toEqual([]);
        if (view.status === 'caught_up' || view.status === 'complete') {
          // Only optional novellas can still be next up.
          if (view.nextUp) expect(novellasRequired).toBe(false);
        }
        if (view.ownedCount === 0) expect(view.status).toBe('not_started');
        if (view.nextToBuy) expect(view.missing.length).toBeGreaterThan(0);
        else expect(view.missing).toEqual([]);
        const starts = view.volumes.filter((v) => v.position.kind !== 'none').map((v) => (v.position.kind === 'number' ? v.position.value : v.position.kind === 'range' ? v.position.start : 0));
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
        expect(deriveSeriesView({ ...SERIES, catalogueComplete }, [...inputs].reverse(), { now: NOW, novellasRequired, inferGaps })).toEqual(view);
        expect(SeriesViewSchema.parse(view)).toEqual(view);
      }),
      { numRuns: 500 },
    );
  });

  it('finishing every owned released volume makes a started series caught up or complete', () => {
    fc.assert(
      fc.property(inputArb, ({ volumes, catalogueComplete, novellasRequired, inferGaps }) => {
        const inputs = build(volumes.map((v) => (v.owned ? { ...v, status: 'finished' as const, release: '2020-01-01' } : v)));
        const view = deriveSeriesView({ ...SERIES, catalogueComplete }, inputs, { now: NOW, novellasRequired, inferGaps });
        if (view.ownedCount === 0) return;
        expect(['caught_up', 'complete']).toContain(view.status);
        expect(view.nextUp).toBeNull();
        expect(view.finishedCount).toBe(view.ownedCount);
      }),
      { numRuns: 300 },
    );
  });
});

describe('deriveSeriesView: what the report shows', () => {
  it('marks novellas, gives each volume its percent and lists volumes not for sale with their marketplace', () => {
    const view = deriveSeriesView({ ...SERIES, catalogueComplete: true }, [fin('1'), reading('1.5', { percent: 37 }), listed('2', { forSale: false })], { now: NOW });
    expect(view.volumes.map((v) => [v.sequence, v.novella, v.percentComplete])).toEqual([
      ['1', false, 100],
      ['1.5', true, 37],
      ['2', false, 0],
    ]);
    expect(view.unavailable).toEqual([{ asin: expect.any(String), title: 'Book 2', sequence: '2', marketplace: 'us' }]);
    expect(view.missing).toEqual([]);
    expect(SeriesViewSchema.parse(view)).toEqual(view);
  });
});
