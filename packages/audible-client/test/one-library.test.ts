import { parseExportText } from '@sagasync/audible-parser';
import { importLibrary, LibraryRecordsSchema, type LibraryRecords, type ProgressReport, type TitleRecord } from '@sagasync/core';
import type { FakeAudible } from '@sagasync/fake-audible';
import { createMemoryStorage } from '@sagasync/storage';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildLibraryRecords, fetchAccountSnapshot, LIBRARY_RESPONSE_GROUPS, syncLibrary, type AudibleClient } from '../src/index.js';
import { clientFor, recordingSleep, signIn, startFake } from './helpers.js';

let fake: FakeAudible | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The library as `audible api 1.0/library` writes it: one raw page of every item, as JSON text. */
async function rawLibraryDump(client: AudibleClient): Promise<string> {
  const { data } = await client.get('/1.0/library', { num_results: 1000, page: 1, response_groups: LIBRARY_RESPONSE_GROUPS }, z.unknown());
  return JSON.stringify(data, null, 2);
}

async function importedDump(client: AudibleClient): Promise<LibraryRecords> {
  const parsed = await parseExportText(await rawLibraryDump(client), 'library.json');
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
  expect(parsed.value.format).toBe('audible-api-json');
  return parsed.value.records;
}

// What only a live sync can know: the account and marketplace it read (a dump names neither), and
// the last heard positions (another endpoint).
const withoutAccount = ({ marketplace: _m, sourceAccount: _s, ...title }: TitleRecord) => title;
const withoutPosition = ({ lastPositionMs: _p, ...report }: ProgressReport) => report;
const byAsin = <T extends { asin: string }>(list: readonly T[]) => [...list].sort((a, b) => a.asin.localeCompare(b.asin));

describe('one library whatever path it came by', () => {
  it('a live sync and a raw /1.0/library dump of the same items give the same titles, memberships and progress', async () => {
    fake = await startFake({ titles: 120, series: 24 });
    const client = clientFor(fake, await signIn(fake), { sleep: recordingSleep().sleep });
    const snapshot = await fetchAccountSnapshot(client);
    const live = buildLibraryRecords({ ...snapshot, sourceAccount: 'audible:us:amzn1.account.FAKE0CUSTOMER0ID' });
    const dump = await importedDump(client);
    expect(LibraryRecordsSchema.safeParse(live.records).success).toBe(true);
    expect(live.skipped).toEqual([]);

    const owned = live.records.titles.filter((t) => t.owned);
    expect(owned).toHaveLength(120);
    expect(dump.titles).toHaveLength(120);
    expect(byAsin(owned).map(withoutAccount)).toEqual(byAsin(dump.titles));
    // Every series of every title, with its raw sequence and parsed position, by both paths.
    expect(owned.some((t) => t.series.length >= 2)).toBe(true);
    expect(byAsin(owned).map((t) => [t.asin, t.series])).toEqual(byAsin(dump.titles).map((t) => [t.asin, t.series]));
    expect(live.records.progress.some((p) => p.lastPositionMs !== undefined)).toBe(true);
    expect(byAsin(live.records.progress).map(withoutPosition)).toEqual(byAsin(dump.progress));
    // The series the dump names are the ones the sync knows, the sync's with every volume listed.
    const liveSeries = new Map(live.records.series.map((s) => [s.key, s]));
    for (const series of dump.series) expect(liveSeries.get(series.key)).toMatchObject({ asin: series.asin, catalogueComplete: true });
  });

  it('in the store: importing the dump after a sync changes nothing, and a dump imported first then synced ends in the same state', async () => {
    fake = await startFake({ titles: 80, series: 16 });
    const client = clientFor(fake, await signIn(fake), { sleep: recordingSleep().sleep });
    const dump = await importedDump(client);

    const synced = createMemoryStorage();
    await syncLibrary({ client, storage: synced, ownerId: 'local' });
    const again = await importLibrary({ storage: synced, ownerId: 'local' }, dump, { commit: true, source: 'library.json' });
    expect(again.summary.titles).toMatchObject({ created: 0, updated: 0, unchanged: 80 });
    expect(again.summary.progress).toMatchObject({ created: 0, updated: 0 });
    expect(again.summary.series).toMatchObject({ created: 0, updated: 0 });

    const importedFirst = createMemoryStorage();
    await importLibrary({ storage: importedFirst, ownerId: 'local' }, dump, { commit: true, source: 'library.json' });
    await syncLibrary({ client, storage: importedFirst, ownerId: 'local' });

    const titles = async (storage: typeof synced) =>
      (await storage.listTitles('local')).items.map(({ version: _v, createdAt: _c, updatedAt: _u, ...title }) => title);
    const progress = async (storage: typeof synced) =>
      (await storage.listProgress('local')).items.map((p) => [p.asin, p.status, p.percentComplete, p.isFinished, p.finishedAt, p.lastPositionMs]);
    expect(byAsin(await titles(importedFirst))).toEqual(byAsin(await titles(synced)));
    expect((await progress(importedFirst)).sort()).toEqual((await progress(synced)).sort());
    await synced.close();
    await importedFirst.close();
  });

  it('a page with one bad item: the item is left out with where and why, the rest is synced', async () => {
    fake = await startFake({ titles: 30, series: 5 });
    const credentials = await signIn(fake);
    // Values the reference says Audible sends (null contributor names and relationship ASINs, a
    // null ladder entry, a numeric sequence) are read; a wrong type or an unreadable date is not.
    const tamper = async (input: string, init: RequestInit) => {
      const response = await fetch(input, init);
      if (!input.includes('/1.0/library?')) return response;
      const body = (await response.json()) as { items: Record<string, unknown>[] };
      const [a, b, c, d] = body.items as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
      a.authors = [{ name: null }, ...(a.authors as unknown[])];
      a.relationships = [{ asin: null, relationship_type: 'series', relationship_to_product: 'parent' }, ...((a.relationships as unknown[]) ?? [])];
      a.category_ladders = [{ root: 'Genres', ladder: [null, { id: null, name: 'Fiction' }] }];
      b.title = 42;
      c.release_date = 'soon';
      (d.series as { sequence: unknown }[]).forEach((s) => {
        if (/^\d+$/.test(String(s.sequence))) s.sequence = Number(s.sequence);
      });
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const client = clientFor(fake, credentials, { fetch: tamper });
    const storage = createMemoryStorage();
    const report = await syncLibrary({ client, storage, ownerId: 'local' });
    expect(report.committed).toBe(true);
    expect(report.fetched.ownedTitles).toBe(28);
    const [b, c] = [fake.state.library.owned[1]!.asin, fake.state.library.owned[2]!.asin];
    expect(report.fetched.skipped).toEqual([
      { asin: b, reason: expect.stringMatching(/^GET \/1\.0\/library\?page=1, \$\.items\[1\]\.title: .*expected string/) },
      { asin: c, reason: expect.stringMatching(/^GET \/1\.0\/library, \$\[\d+\]\.release_date: invalid date.*\(value: "soon"\)$/) },
    ]);
    // A title left out is not a missing volume either: it is simply not in this sync.
    expect(await storage.getTitle('local', b)).toBeNull();
    expect(await storage.getTitle('local', c)).toBeNull();
    const first = await storage.getTitle('local', fake.state.library.owned[0]!.asin);
    expect(first?.authors.length).toBeGreaterThan(0);
    const d = fake.state.library.owned[3]!.asin;
    const expected = fake.state.library.products.get(d)!.memberships.map((m) => [m.seriesAsin, m.sequence]);
    expect((await storage.getTitle('local', d))?.series.map((m) => [m.seriesAsin, m.sequence])).toEqual(expected);
    await storage.close();
  });
});
