import { createMemoryStorage } from '@sagasync/storage';
import { importLibrary } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { buildLibraryFile, buildSeriesMetadataFile, mapLibraryItems, parseExportText, writeAudibleCliLibrary } from '../src/index.js';
import { fixture, parseOk } from './helpers.js';

const credits = (titles: readonly { asin: string; authors: string[]; contributors?: { name: string; role: string }[] }[]) =>
  Object.fromEntries(titles.map((t) => [t.asin, { authors: t.authors, contributors: t.contributors }]));

describe('contributors credited in the author column (`Name - role`)', () => {
  it('audible-cli: roles become contributors, not authors; a hyphenated name stays whole', async () => {
    const path = fixture('audible-cli', 'library-contributors.tsv');
    const parsed = await parseOk(path);
    expect(credits(parsed.records.titles)).toEqual({
      B0CONTRIB1: { authors: ['Leo Tolstoy'], contributors: [{ name: 'Constance Garnett', role: 'translator' }] },
      B0CONTRIB2: { authors: ['Arthur Conan Doyle'], contributors: [{ name: 'Stephen Fry', role: 'introductions' }] },
      // Every name has a role: kept as authors too, and flagged.
      B0CONTRIB3: { authors: ['Jane Doe'], contributors: [{ name: 'Jane Doe', role: 'editor' }] },
      B0CONTRIB4: { authors: ['Mary Smith - Jones'], contributors: [{ name: 'John Roe', role: 'foreword' }] },
      B0CONTRIB5: { authors: ['Ruth Avery'], contributors: [{ name: 'Lakshmi Lal', role: 'adaptation' }] },
    });
    expect(parsed.warnings).toEqual([
      {
        file: path,
        line: 4,
        column: 'authors',
        value: 'Jane Doe - editor',
        message: 'every name in this cell is credited with a role, none as author: kept as authors (there is no other) and as contributors',
      },
    ]);
    expect(parsed.notes).toContain('1 warning: problems worked around (see warnings)');
  });

  it('Libation and OpenAudible read the same way', async () => {
    const libation = await parseOk(fixture('libation', 'libation-export-invariant.csv'));
    expect(credits(libation.records.titles)).toEqual({
      B0LIBINV01: { authors: ['Leo Tolstoy'], contributors: [{ name: 'Constance Garnett', role: 'translator' }] },
      B0LIBINV02: { authors: ['Arthur Conan Doyle'], contributors: [{ name: 'Stephen Fry', role: 'introductions' }] },
      B0LIBINV03: { authors: ['Jane Doe'], contributors: [{ name: 'Jane Doe', role: 'editor' }] },
    });
    expect(libation.warnings).toEqual([expect.objectContaining({ line: 4, column: 'Authors', value: 'Jane Doe - editor' })]);

    const openAudible = await parseExportText(
      'Title,Author,Narrated By,ASIN,Purchase Date\r\nCrime and Punishment,"Fyodor Dostoevsky, Constance Garnett - Translator",George Guidall,B0OPENCP01,2023-01-02\r\n',
      'openaudible.csv',
    );
    if (!openAudible.success) throw new Error(JSON.stringify(openAudible.error.issues));
    // Roles are lower-cased.
    expect(credits(openAudible.value.records.titles)).toEqual({ B0OPENCP01: { authors: ['Fyodor Dostoevsky'], contributors: [{ name: 'Constance Garnett', role: 'translator' }] } });
  });

  it('a suffix stays with its name, the role with both (`Edmund Pike, Jr. - editor`)', async () => {
    const result = await parseExportText('asin\ttitle\tauthors\tseries_title\tseries_sequence\r\nB0SUFFIX01\tT\tAda Lark, Edmund Pike, Jr. - editor\t\t\r\n', 'library.tsv');
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    expect(credits(result.value.records.titles)).toEqual({ B0SUFFIX01: { authors: ['Ada Lark'], contributors: [{ name: 'Edmund Pike, Jr.', role: 'editor' }] } });
  });

  it('Audible API authors carry the role in their name, as Audible sends it', () => {
    const mapped = mapLibraryItems([
      { asin: 'B0ODYSSEY1', title: 'The Odyssey', authors: [{ asin: 'B000AP9A6K', name: 'Homer' }, { name: 'Emily Wilson - translator' }] },
      { asin: 'B0ANTHOL01', title: 'Tales', authors: [{ name: 'Jane Doe - editor' }] },
    ]);
    expect(credits(mapped.records.titles)).toEqual({
      B0ANTHOL01: { authors: ['Jane Doe'], contributors: [{ name: 'Jane Doe', role: 'editor' }] },
      B0ODYSSEY1: { authors: ['Homer'], contributors: [{ name: 'Emily Wilson', role: 'translator' }] },
    });
    expect(mapped.warnings).toEqual([expect.objectContaining({ path: '$[1].authors', message: expect.stringMatching(/^Audible item B0ANTHOL01: every author is credited with a role/) })]);
  });

  it('the writers keep contributors: audible-cli CSV, library file and series metadata read back the same', async () => {
    const parsed = await parseOk(fixture('audible-cli', 'library-contributors.tsv'));
    const storage = createMemoryStorage();
    const deps = { storage, ownerId: 'o', clock: () => new Date('2026-01-01T00:00:00.000Z') };
    await importLibrary(deps, parsed.records, { commit: true });
    const titles = (await storage.listTitles('o')).items;
    const series = (await storage.listSeries('o')).items;
    const progress = (await storage.listProgress('o')).items;

    const csv = writeAudibleCliLibrary(titles, new Map(progress.map((p) => [p.asin, p])), { format: 'tsv' });
    expect(csv).toContain('\tLeo Tolstoy, Constance Garnett - translator\t');
    expect(csv).toContain('\tJane Doe - editor\t');
    const again = await parseExportText(csv, 'library.tsv');
    if (!again.success) throw new Error(JSON.stringify(again.error.issues));
    expect(credits(again.value.records.titles)).toEqual(credits(parsed.records.titles));
    expect((await importLibrary(deps, again.value.records, { commit: false })).summary.titles).toMatchObject({ created: 0, updated: 0 });

    const library = await parseExportText(JSON.stringify(buildLibraryFile({ titles, series, progress, exportedAt: '2026-01-02T00:00:00.000Z' })), 'library.json');
    if (!library.success) throw new Error(JSON.stringify(library.error.issues));
    expect(credits(library.value.records.titles)).toEqual(credits(parsed.records.titles));

    const metadata = await parseExportText(JSON.stringify(buildSeriesMetadataFile({ titles, series, generatedAt: '2026-01-02T00:00:00.000Z' })), 'meta.json');
    if (!metadata.success) throw new Error(JSON.stringify(metadata.error.issues));
    expect(metadata.value.records.titles.find((t) => t.asin === 'B0CONTRIB2')?.contributors).toEqual([{ name: 'Stephen Fry', role: 'introductions' }]);
  });
});
