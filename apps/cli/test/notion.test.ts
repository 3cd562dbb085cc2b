import { join } from 'node:path';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples, run, scratch } from './harness.js';

interface PushJson {
  series: { created: number; updated: number; unchanged: number };
  books: { created: number; updated: number; unchanged: number };
  requests: number;
  failures: unknown[];
}

// The Notion commands end to end against tools/fake-notion, through the real @notionhq/client.
describe('sagasync notion', () => {
  let fake: FakeNotion;
  const s = scratch();
  let env: Record<string, string>;
  type Databases = { books: { databaseId: string; dataSourceId: string }; series: { databaseId: string } };
  let databases: Databases;

  beforeAll(async () => {
    fake = await startFakeNotion({ seed: 3 });
    env = { NOTION_TOKEN: fake.token, NOTION_BASE_URL: fake.url, SAGASYNC_NOTION_REQUESTS_PER_SECOND: '50' };
    await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store });
    await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store });
  });
  afterAll(async () => {
    await fake.close();
    s.cleanup();
  });

  it('needs a token and databases before it pushes', async () => {
    const noToken = await run(['notion', 'push'], { store: s.store });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('NOTION_TOKEN is not set');
    const noDatabases = await run(['notion', 'push'], { store: s.store, env });
    expect(noDatabases.code).toBe(1);
    expect(noDatabases.stderr).toContain('notion setup');
  });

  it('sets up, pushes, re-pushes nothing, and pulls a hand edit back with the cascade', async () => {
    const parent = fake.state.addParentPage();
    const setup = await run(['notion', 'setup', '--parent', parent, '--json'], { store: s.store, env });
    expect(setup.code, setup.stderr).toBe(0);
    ({ databases } = setup.json<{ databases: Databases }>());

    const dry = await run(['notion', 'push', '--dry-run', '--json'], { store: s.store, env });
    expect(dry.json<PushJson>().books.created).toBe(28); // planned, not written
    expect(fake.state.listPages(databases.books.dataSourceId)).toHaveLength(0);

    const first = await run(['notion', 'push', '--json'], { store: s.store, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json<PushJson>()).toMatchObject({ series: { created: 7 }, books: { created: 28 }, failures: [] });
    const again = await run(['notion', 'push', '--json'], { store: s.store, env });
    expect(again.json<PushJson>()).toMatchObject({ series: { created: 0, updated: 0 }, books: { created: 0, updated: 0 } });

    const page = fake.state.listPages(databases.books.dataSourceId).find((p) => fake.state.plainValues(p)['ASIN'] === 'B0DEMO0004')!;
    fake.state.editByHand(page.id, { Status: { select: { name: 'Finished' } } });
    const pull = await run(['notion', 'pull', '--json'], { store: s.store, env });
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json<{ events: unknown[] }>().events).toHaveLength(1);
    const series = await run(['series', 'show', 'The Ember Throne', '--json'], { store: s.store });
    expect(series.json<{ items: { status: string }[] }>().items[0]!.status).toBe('caught_up');
  });

  it('checks existing databases named by environment variables', async () => {
    const fresh = scratch();
    try {
      const ids = { NOTION_BOOKS_DB_ID: databases.books.databaseId, NOTION_SERIES_DB_ID: databases.series.databaseId };
      const check = await run(['notion', 'check', '--json'], { store: fresh.store, env: { ...env, ...ids } });
      expect(check.code, check.stderr).toBe(0);
      expect(check.json()).toMatchObject({ ok: true, issues: [] });
      // Checked ids are remembered: a push needs no environment ids any more, and adopts the pages.
      await run(['import', join(examples, 'library.tsv'), '--commit'], { store: fresh.store });
      const push = await run(['notion', 'push', '--json'], { store: fresh.store, env });
      expect(push.code, push.stderr).toBe(0);
      expect(push.json<PushJson>().books.created).toBe(0);
      const onlyOne = await run(['notion', 'check'], { store: fresh.store, env: { ...env, NOTION_BOOKS_DB_ID: ids.NOTION_BOOKS_DB_ID } });
      expect(onlyOne.code).toBe(1);
      expect(onlyOne.stderr).toContain('set both');
    } finally {
      fresh.cleanup();
    }
  });
});
