import type { LibraryRecords, StoragePort, TitleRecord } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { call, context, exampleRecords, expectOk } from './helpers.js';

const membership = (title: string, sequence: string) => ({
  seriesKey: `title:${title.toLowerCase()}`,
  seriesAsin: null,
  seriesTitle: title,
  sequence,
  position: { kind: 'number' as const, value: Number(sequence) },
});

/** The demo library plus titles whose names a person types: an apostrophe, a shared start, two "Dune" series. */
async function library(): Promise<LibraryRecords> {
  const base = await exampleRecords();
  const like = (asin: string, title: string, series: TitleRecord['series'] = []): TitleRecord => ({ ...base.titles[0]!, asin, title, subtitle: null, series });
  return {
    ...base,
    titles: [
      ...base.titles,
      like('B0EXPANSE1', 'Leviathan Wakes', [membership('The Expanse', '1')]),
      like('B0EXPANSE5', "Nemesis Games", [membership('The Expanse', '5')]),
      like('B0EXPANSE3', 'Abaddon’s Gate', [membership('The Expanse', '3')]),
      like('B0DUNE0001', 'Dune', [membership('Dune', '1'), membership('Dune Saga', '1')]),
      like('B0DUNE0002', 'Dune Messiah', [membership('Dune', '2'), membership('Dune Saga', '2')]),
    ],
  };
}

/** A memory store that counts whole-library reads. */
function countingStorage(): { storage: StoragePort; listTitles: () => number } {
  const inner = createMemoryStorage();
  let calls = 0;
  const storage = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'listTitles') {
        return (...args: Parameters<StoragePort['listTitles']>) => {
          calls++;
          return target.listTitles(...args);
        };
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { storage, listTitles: () => calls };
}

const path = (title: string, rest: string) => `/api/progress/${encodeURIComponent(title)}/${rest}`;

describe('titles named by a person', () => {
  it('a listening event takes a title (any case, straight or curly apostrophe) and answers with its name', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await library(), commit: true } });
    const finished = await expectOk(ctx, 'POST', path("abaddon's gate", 'events'), { body: { kind: 'finished' } });
    expect(finished).toMatchObject({ asin: 'B0EXPANSE3', title: 'Abaddon’s Gate', changed: true, progress: { status: 'finished' } });
    // A unique start, and a word inside the title.
    expect(await expectOk(ctx, 'POST', path('LEVIATHAN', 'events'), { body: { kind: 'started' } })).toMatchObject({ asin: 'B0EXPANSE1', title: 'Leviathan Wakes' });
    expect(await expectOk(ctx, 'POST', path('games', 'events'), { body: { kind: 'started' } })).toMatchObject({ asin: 'B0EXPANSE5' });
    // The exact title wins over the titles it starts: "Dune", not "Dune Messiah".
    expect(await expectOk(ctx, 'POST', path('dune', 'events'), { body: { kind: 'started' } })).toMatchObject({ asin: 'B0DUNE0001' });
    // An ASIN still works, in any case.
    expect(await expectOk(ctx, 'POST', path('b0dune0002', 'events'), { body: { kind: 'started' } })).toMatchObject({ asin: 'B0DUNE0002', title: 'Dune Messiah' });
  });

  it('the history takes a title too, and names the title it is of', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await library(), commit: true } });
    await expectOk(ctx, 'POST', path('Leviathan Wakes', 'events'), { body: { kind: 'finished' } });
    const history = await expectOk(ctx, 'GET', path('leviathan wakes', 'history'));
    expect(history).toMatchObject({ asin: 'B0EXPANSE1', title: 'Leviathan Wakes', nextCursor: null });
    expect(history.items.map((h: { event: string }) => h.event)).toEqual(['finished']);
  });

  it('an ambiguous title is a 400 listing the candidates; an unknown one a 404 with suggestions', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await library(), commit: true } });
    const ambiguous = await call(ctx, 'POST', path('starwake', 'events'), { body: { kind: 'finished' } });
    expect(ambiguous.status).toBe(400);
    const message = (ambiguous.body as { error: { message: string } }).error.message;
    expect(message).toContain('"starwake" matches 2 titles');
    expect(message).toContain('“Starwake: Dark Harbor” (B0DEMO0006)');
    expect(message).toContain('“Starwake: The First Trilogy” (B0DEMO0005)');

    const typo = await call(ctx, 'POST', path("Abadon's Gate", 'events'), { body: { kind: 'finished' } });
    expect(typo.status).toBe(404);
    expect((typo.body as { error: { message: string } }).error.message).toBe('no title matches "Abadon\'s Gate"; did you mean “Abaddon’s Gate” (B0EXPANSE3)?');
    const nothing = await call(ctx, 'GET', path('zzzz qqqq xxxx', 'history'));
    expect(nothing.status).toBe(404);
    expect((nothing.body as { error: { message: string } }).error.message).toBe('no title matches "zzzz qqqq xxxx"');
  });

  it('an ASIN argument is one keyed read: an unknown ASIN never reads the whole library', async () => {
    const counting = countingStorage();
    const ctx = context({ storage: counting.storage });
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await library(), commit: true } });
    const before = counting.listTitles();
    const unknown = await call(ctx, 'POST', path('B0NOSUCH00', 'events'), { body: { kind: 'finished' } });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { message: string } }).error.message).toBe('no title B0NOSUCH00 in the library');
    await expectOk(ctx, 'GET', path('B0DEMO0001', 'history'));
    expect(counting.listTitles()).toBe(before);
    // A name does walk the titles.
    await expectOk(ctx, 'GET', path('dune messiah', 'history'));
    expect(counting.listTitles()).toBeGreaterThan(before);
  });
});

describe('series named by a person', () => {
  it('finds a series without its article, by a unique start or a word in it; several are a 400 listing them', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await library(), commit: true } });
    const title = async (query: string) => (await expectOk(ctx, 'GET', `/api/series/${encodeURIComponent(query)}`)).items.map((s: { title: string }) => s.title);
    expect(await title('expanse')).toEqual(['The Expanse']);
    expect(await title('EMBER THRONE')).toEqual(['The Ember Throne']);
    expect(await title('ledger')).toEqual(['Ledger of Kings']);
    expect(await title('pines')).toEqual(['Hollow Pines Mysteries']);
    expect(await title('dune')).toEqual(['Dune']);

    const ambiguous = await call(ctx, 'GET', '/api/series/dun');
    expect(ambiguous.status).toBe(400);
    expect((ambiguous.body as { error: { message: string } }).error.message).toBe('"dun" matches 2 series: "Dune", "Dune Saga"');
    const typo = await call(ctx, 'GET', '/api/series/Hollow%20Pine%20Mystries');
    expect(typo.status).toBe(404);
    expect((typo.body as { error: { message: string } }).error.message).toContain('did you mean "Hollow Pines Mysteries"');
  });
});

describe('import answers name what they change', () => {
  it('lists each created or updated title, series and progress row with its name and changed fields', async () => {
    const ctx = context({ storage: createMemoryStorage() });
    const records = await library();
    const preview = await expectOk(ctx, 'POST', '/api/import', { body: { records } });
    expect(preview.titles.find((t: { asin: string }) => t.asin === 'B0EXPANSE3')).toEqual({ asin: 'B0EXPANSE3', title: 'Abaddon’s Gate', action: 'create', changedFields: expect.any(Array) });
    expect(preview.series.find((s: { key: string }) => s.key === 'title:the expanse')).toMatchObject({ title: 'The Expanse', action: 'create' });
    expect(preview.progress.length).toBeGreaterThan(0);
    expect(preview.progress.every((p: { title?: string }) => typeof p.title === 'string')).toBe(true);

    await expectOk(ctx, 'POST', '/api/import', { body: { records, commit: true } });
    const changed = { ...records, titles: records.titles.map((t) => (t.asin === 'B0EXPANSE1' ? { ...t, runtimeMinutes: 1234 } : t)) };
    const update = await expectOk(ctx, 'POST', '/api/import', { body: { records: changed } });
    expect(update.titles).toEqual([{ asin: 'B0EXPANSE1', title: 'Leviathan Wakes', action: 'update', changedFields: ['runtimeMinutes'] }]);
    // A progress row of a title the records do not carry is named from the store.
    const progressOnly = await expectOk(ctx, 'POST', '/api/import', { body: { records: { titles: [], series: [], progress: [{ asin: 'B0DUNE0002', percentComplete: 50 }] } } });
    expect(progressOnly.progress).toEqual([expect.objectContaining({ asin: 'B0DUNE0002', title: 'Dune Messiah', action: expect.any(String) })]);
  });
});
