import type { TitleData } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { readTrackerText, runMatch, toMatchJson } from '../src/index.js';

const T0 = '2026-01-01T00:00:00.000Z';
const title = (asin: string, name: string, subtitle: string | null, authors: string[], series: [string, string][] = []): TitleData => ({
  asin, title: name, subtitle, authors, narrators: ['Some Narrator'], runtimeMinutes: 600, releaseDate: null, purchaseDate: null, coverUrl: null,
  language: 'English', marketplace: 'us', sourceAccount: null, owned: true, isPodcast: false, contributors: [], forSale: null,
  series: series.map(([seriesTitle, sequence]) => ({ seriesKey: `title:${seriesTitle.toLowerCase()}`, seriesAsin: null, seriesTitle, sequence, position: { kind: 'number', value: Number(sequence) } })),
  createdAt: T0, updatedAt: T0,
});

const HEADER = 'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';
const row = (id: string, name: string, author: string, isbn = '', shelf = 'read') => `${id},"${name}",${author},,,"=""${isbn}""","=""""",0,,,,,,,,,,${shelf},,,,,`;

describe('Goodreads export to stored links', () => {
  it('reads the file, matches, stores and reports the CLI JSON', async () => {
    const storage = createMemoryStorage();
    await storage.applyBatch('local', [
      { op: 'putTitle', value: title('B0EXPANSE1', 'Leviathan Wakes', 'The Expanse, Book 1', ['James S. A. Corey'], [['The Expanse', '1']]) },
      { op: 'putTitle', value: title('B0EXPANSE2', "Caliban's War", 'The Expanse, Book 2', ['James S. A. Corey'], [['The Expanse', '2']]) },
      { op: 'putTitle', value: title('0441013597', 'Dune', null, ['Frank Herbert']) },
      { op: 'putTitle', value: title('B0MISERY01', 'Misery', null, ['Stephen King']) },
    ]);
    const text = [
      HEADER,
      row('8855321', 'Leviathan Wakes (The Expanse, #1)', 'James S.A. Corey'),
      row('12591698', "Caliban's War (The Expanse, #2)", 'James S.A. Corey', '', 'currently-reading'),
      row('44767458', 'Dune (Dune, #1)', 'Frank Herbert', '0441013597'),
      row('10614', 'Misery', 'Jane Doe', '', 'to-read'),
      row('28187', 'Cibola Burn (The Expanse, #4)', 'James S.A. Corey', '', 'to-read'),
    ].join('\n');
    const read = readTrackerText(text, {}, 'goodreads_library_export.csv');
    if (!read.success) throw new Error(JSON.stringify(read.error));
    const report = await runMatch({ storage, ownerId: 'local', clock: () => new Date('2026-02-01T00:00:00Z') }, read.value.books, { commit: true });
    expect(toMatchJson(report)).toEqual({
      links: [
        { trackerId: '12591698', asin: 'B0EXPANSE2', method: 'title_author', score: 1 },
        { trackerId: '44767458', asin: '0441013597', method: 'isbn', score: 1 },
        { trackerId: '8855321', asin: 'B0EXPANSE1', method: 'title_author', score: 1 },
      ],
      conflicts: [],
      unmatched: ['10614', '28187'],
    });
    expect((await storage.listLinks('local')).items).toHaveLength(3);
    expect((await storage.getTrackerBook('local', 'goodreads', '12591698'))!.status).toBe('in_progress');
  });
});
