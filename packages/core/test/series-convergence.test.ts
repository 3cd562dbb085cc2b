import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import {
  importLibrary,
  planImport,
  readAll,
  readSequence,
  seriesKeyFor,
  type LibraryRecords,
  type SeriesMembership,
  type StoragePort,
  type TitleRecord,
  type UseCaseDeps,
} from '../src/index.js';

// The same library reaches the store by different paths: an Audible sync keys a series by its
// ASIN, an audible-cli file by its name. Every order of every pair must end in one series.

const OWNER = 'local';
const EXPANSE = 'B0EXPANSE0';
let clockMs = Date.parse('2026-11-01T10:00:00.000Z');
const clock = () => new Date((clockMs += 1000));

const byAsin = (sequence: string, seriesTitle = 'The Expanse'): SeriesMembership => ({ seriesKey: EXPANSE, seriesAsin: EXPANSE, seriesTitle, ...readSequence(sequence) });
const byName = (sequence: string, seriesTitle = 'The Expanse'): SeriesMembership => ({ seriesKey: seriesKeyFor(null, seriesTitle), seriesAsin: null, seriesTitle, ...readSequence(sequence) });
const title = (asin: string, series: SeriesMembership[], over: Partial<TitleRecord> = {}): TitleRecord => ({
  asin, title: `Book ${asin}`, authors: ['James S. A. Corey'], narrators: ['Jefferson Mays'], owned: true, series, ...over,
});

/** What `audible sync` gives: ASIN-keyed series with the catalogue's unowned volume. */
const synced = (): LibraryRecords => ({
  titles: [title('B0EXP00001', [byAsin('1')]), title('B0EXP00002', [byAsin('2')]), title('B0EXP00003', [byAsin('3')], { owned: false })],
  series: [{ key: EXPANSE, asin: EXPANSE, title: 'The Expanse', catalogueComplete: true }],
  progress: [],
});
/** What the audible-cli export file gives: the same titles, series named only ("the expanse" spelt as users do). */
const fromFile = (): LibraryRecords => ({
  titles: [title('B0EXP00001', [byName('Book 1', 'The Expanse')]), title('B0EXP00002', [byName('Book 2', 'the Expanse')])],
  series: [],
  progress: [],
});
/** The series metadata file `audible export` writes beside it: names the ASIN for the name. */
const metadata = (): LibraryRecords => ({
  titles: [title('B0EXP00003', [byAsin('3')], { owned: false })],
  series: [{ key: EXPANSE, asin: EXPANSE, title: 'The Expanse', catalogueComplete: true }],
  progress: [],
});

async function store(): Promise<{ deps: UseCaseDeps; storage: StoragePort }> {
  const storage = await createMemoryStorage();
  return { storage, deps: { storage, ownerId: OWNER, clock } };
}
const seriesKeys = async (storage: StoragePort) => (await storage.listSeries(OWNER)).items.map((s) => s.key);
const membershipKeys = async (storage: StoragePort) =>
  Object.fromEntries((await storage.listTitles(OWNER)).items.map((t) => [t.asin, t.series.map((m) => `${m.seriesKey}#${m.sequence}`)]));

describe('one series whatever path it came by', () => {
  const paths: [string, () => LibraryRecords][] = [
    ['sync', synced],
    ['file', fromFile],
  ];
  for (const [firstName, first] of paths) {
    for (const [secondName, second] of paths) {
      if (firstName === secondName) continue;
      it(`${firstName} then ${secondName}: one ASIN-keyed series, the name an alias`, async () => {
        const { storage, deps } = await store();
        await importLibrary(deps, first(), { commit: true });
        const report = await importLibrary(deps, second(), { commit: true });
        expect(await seriesKeys(storage)).toEqual([EXPANSE]);
        const memberships = await membershipKeys(storage);
        for (const asin of ['B0EXP00001', 'B0EXP00002']) expect(memberships[asin]!.map((k) => k.split('#')[0])).toEqual([EXPANSE]);
        expect((await storage.getSeriesAlias(OWNER, 'title:the expanse'))?.seriesKey).toBe(EXPANSE);
        expect(report.notes.join('\n')).toMatch(/joined the Audible series/);
        // The next import of either changes nothing, and previews no series to create.
        for (const again of [first, second]) {
          const preview = await importLibrary(deps, again(), { commit: false });
          expect(preview.summary.series.created).toBe(0);
          expect(preview.summary.titles.updated + preview.summary.titles.created).toBe(0);
        }
      });
    }
  }

  it('a title keeps the position the file gave when Audible gave none', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, { titles: [title('B0EXP00001', [byAsin('')])], series: [], progress: [] }, { commit: true });
    await importLibrary(deps, { titles: [title('B0EXP00001', [byName('1')])], series: [], progress: [] }, { commit: true });
    const stored = await storage.getTitle(OWNER, 'B0EXP00001');
    expect(stored?.series).toEqual([expect.objectContaining({ seriesKey: EXPANSE, position: { kind: 'number', value: 1 } })]);
  });

  it('file plus its series metadata into a fresh store: the metadata names the ASIN for the name', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, fromFile(), { commit: true });
    await importLibrary(deps, metadata(), { commit: true });
    expect(await seriesKeys(storage)).toEqual([EXPANSE]);
    expect(Object.values(await membershipKeys(storage)).flat().every((k) => k.startsWith(EXPANSE))).toBe(true);
  });

  it('file and metadata in one import', async () => {
    const { storage, deps } = await store();
    const both: LibraryRecords = { titles: [...fromFile().titles, ...metadata().titles], series: metadata().series, progress: [] };
    await importLibrary(deps, both, { commit: true });
    expect(await seriesKeys(storage)).toEqual([EXPANSE]);
  });

  it('a name-keyed series whose titles the import does not name still moves (existing stores merge on the next run)', async () => {
    const { storage, deps } = await store();
    // Ten titles from a file, then a sync that names only the first one: all ten move.
    const many = Array.from({ length: 10 }, (_, i) => title(`B0EXP0010${i}`, [byName(String(i + 1))]));
    await importLibrary(deps, { titles: many, series: [], progress: [] }, { commit: true });
    await importLibrary(deps, { titles: [title('B0EXP00100', [byAsin('1')])], series: [], progress: [] }, { commit: true });
    expect(await seriesKeys(storage)).toEqual([EXPANSE]);
    const memberships = await membershipKeys(storage);
    expect(Object.keys(memberships)).toHaveLength(10);
    for (const keys of Object.values(memberships)) expect(keys.map((k) => k.split('#')[0])).toEqual([EXPANSE]);
    // An empty import changes nothing further.
    const again = await importLibrary(deps, { titles: [], series: [], progress: [] }, { commit: false });
    expect(again.summary.titles.updated).toBe(0);
  });

  it('two series with one name and no shared title stay two', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, { titles: [title('B0FOUND001', [{ seriesKey: 'B0FOUNDSER', seriesAsin: 'B0FOUNDSER', seriesTitle: 'Foundation', ...readSequence('1') }])], series: [], progress: [] }, { commit: true });
    await importLibrary(deps, { titles: [title('B0OTHER001', [byName('1', 'Foundation')])], series: [], progress: [] }, { commit: true });
    expect(await seriesKeys(storage)).toEqual(['B0FOUNDSER', 'title:foundation']);
    expect(await readAll((cursor) => storage.listSeriesAliases(OWNER, { cursor }))).toEqual([]);
  });

  it('a name shared by two ASIN-keyed series joins neither', () => {
    const a: SeriesMembership = { seriesKey: 'B0SERIESA1', seriesAsin: 'B0SERIESA1', seriesTitle: 'Dune', ...readSequence('1') };
    const b: SeriesMembership = { seriesKey: 'B0SERIESB1', seriesAsin: 'B0SERIESB1', seriesTitle: 'Dune', ...readSequence('1') };
    const plan = planImport(
      { titles: [title('B0DUNE0001', [a, byName('1', 'Dune')]), title('B0DUNE0002', [b, byName('2', 'Dune')])], series: [], progress: [] },
      { titles: new Map(), series: new Map(), progress: new Map() },
      { now: '2026-11-01T10:00:00.000Z' },
    );
    expect(plan.seriesMerges).toEqual([]);
    expect(plan.notes.join('\n')).toMatch(/kept apart.*dune/);
  });
});

describe('stores filled before the rule', () => {
  it('series recompute merges a name-keyed series left beside its ASIN-keyed one', async () => {
    const { storage, deps } = await store();
    // The state an older version left: both rows, a title carrying both memberships.
    await storage.applyBatch(OWNER, [
      { op: 'putSeries', value: { key: EXPANSE, asin: EXPANSE, title: 'The Expanse', catalogueComplete: false, createdAt: '2026-10-01T00:00:00.000Z', updatedAt: '2026-10-01T00:00:00.000Z' } },
      { op: 'putSeries', value: { key: 'title:the expanse', asin: null, title: 'The Expanse', catalogueComplete: false, createdAt: '2026-10-01T00:00:00.000Z', updatedAt: '2026-10-01T00:00:00.000Z' } },
    ]);
    const { recomputeSeries } = await import('../src/index.js');
    await importLibrary(deps, { titles: [title('B0EXP00001', [byAsin('1')]), title('B0EXP00002', [byName('2')])], series: [], progress: [] }, { commit: true });
    // B0EXP00002 shares nothing yet; give B0EXP00001 the name-keyed membership too, as a file import did.
    const t1 = (await storage.getTitle(OWNER, 'B0EXP00001'))!;
    const { ownerId: _o, version, ...data } = t1;
    await storage.applyBatch(OWNER, [{ op: 'putTitle', value: { ...data, series: [...data.series, byName('1')] }, expectedVersion: version }]);
    expect(await seriesKeys(storage)).toEqual([EXPANSE, 'title:the expanse']);
    const result = await recomputeSeries(deps);
    expect(result.merged).toBe(1);
    expect(await seriesKeys(storage)).toEqual([EXPANSE]);
    expect((await storage.getTitle(OWNER, 'B0EXP00002'))?.series.map((m) => m.seriesKey)).toEqual([EXPANSE]);
    expect((await recomputeSeries(deps)).merged).toBe(0);
  });
});

describe('one name, two Audible series', () => {
  it('each title of a file joins the same-named series it is in, and no name-keyed series is left', async () => {
    const { storage, deps } = await store();
    const wild = (key: string, sequence: string): SeriesMembership => ({ seriesKey: key, seriesAsin: key, seriesTitle: 'The Wild Chronicles', ...readSequence(sequence) });
    await importLibrary(deps, { titles: [title('B0WILD0001', [wild('B0WILDSER1', '1')]), title('B0WILD0101', [wild('B0WILDSER2', '1')])], series: [], progress: [] }, { commit: true });
    const file: LibraryRecords = {
      titles: [title('B0WILD0001', [byName('1', 'The Wild Chronicles')]), title('B0WILD0101', [byName('1', 'The Wild Chronicles')])],
      series: [{ key: 'title:the wild chronicles', asin: null, title: 'The Wild Chronicles', catalogueComplete: false }],
      progress: [],
    };
    const preview = await importLibrary(deps, file, { commit: false });
    expect(preview.summary.series.created).toBe(0);
    expect(preview.notes.join('\n')).toMatch(/kept apart.*the wild chronicles/);
    await importLibrary(deps, file, { commit: true });
    expect(await seriesKeys(storage)).toEqual(['B0WILDSER1', 'B0WILDSER2']);
    expect((await membershipKeys(storage))['B0WILD0101']).toEqual(['B0WILDSER2#1']);
  });
});
