import { createMemoryStorage } from '@sagasync/storage';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { afterEach, describe, expect, it } from 'vitest';
import { checkNotion, setupNotion } from '../src/schema/setup.js';
import { loadDatabases } from '../src/state/settings.js';
import { OWNER } from './helpers.js';

let fake: FakeNotion | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('setupNotion and checkNotion', () => {
  it('creates both databases with a two-way relation, stores their ids, and a check passes', async () => {
    fake = await startFakeNotion();
    const storage = createMemoryStorage();
    const notion = { token: fake.token, baseUrl: fake.url, requestsPerSecond: 1000 };
    const parent = fake.state.addParentPage();
    const { databases } = await setupNotion({ storage, ownerId: OWNER, notion }, { parentPageId: parent });
    expect(await loadDatabases(storage, OWNER)).toEqual(databases);
    expect(Object.keys(databases.propertyIds!.series)).toContain('Books');
    const check = await checkNotion({ storage, ownerId: OWNER, notion });
    expect(check).toMatchObject({ ok: true, issues: [] });
    await expect(setupNotion({ storage, ownerId: OWNER, notion }, { parentPageId: parent })).rejects.toMatchObject({ code: 'already_exists' });
    await expect(setupNotion({ storage, ownerId: OWNER, notion: { ...notion, token: 'bad' } }, { parentPageId: parent, force: true })).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('checks a hand-made pair from database ids (as from NOTION_*_DB_ID), names the problems, and repairs missing properties', async () => {
    fake = await startFakeNotion();
    const storage = createMemoryStorage();
    const notion = { token: fake.token, baseUrl: fake.url, requestsPerSecond: 1000 };
    const parent = fake.state.addParentPage();
    const series = fake.state.createDatabase({ parent: { page_id: parent }, initial_data_source: { properties: { Title: { title: {} }, Key: { rich_text: {} } } } }) as { id: string; data_sources: { id: string }[] };
    const books = fake.state.createDatabase({
      parent: { page_id: parent },
      initial_data_source: { properties: { Title: { title: {} }, ASIN: { rich_text: {} }, Owned: { rich_text: {} } } },
    }) as { id: string };
    const check = await checkNotion({ storage, ownerId: OWNER, notion }, { databaseIds: { books: books.id, series: series.id } });
    expect(check.ok).toBe(false);
    expect(check.issues.find((i) => i.property === 'Owned' && i.table === 'books')).toMatchObject({ problem: 'wrong_type', expected: 'checkbox', actual: 'rich_text' });
    expect(check.issues.find((i) => i.property === 'Series')).toMatchObject({ problem: 'missing', expected: 'relation' });
    expect(await loadDatabases(storage, OWNER)).toBeNull();

    const repaired = await checkNotion({ storage, ownerId: OWNER, notion }, { databaseIds: { books: books.id, series: series.id }, repair: true });
    expect(repaired.added).toContain('Books.Series');
    expect(repaired.added).toContain('Series.Next to buy');
    // A wrong type is never changed by SagaSync: the person decides.
    expect(repaired.issues.filter((i) => i.problem !== 'missing_option').map((i) => i.property)).toEqual(['Owned']);
    expect(repaired.ok).toBe(false);
  });
});
