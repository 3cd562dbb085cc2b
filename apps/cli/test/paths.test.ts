import { join } from 'node:path';
import { startFakeAudible, type FakeAudible } from '@sagasync/fake-audible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, scratch } from './harness.js';

// One library whatever path it came by: an Audible sync keys series by their ASIN, the files
// `audible export` writes name them (the library file only by title). Every order of the two paths
// must end in the same series, with nothing left to create the second time.
describe('one library, whatever path it came by', () => {
  let fake: FakeAudible;
  const s = scratch();
  let env: Record<string, string>;
  let files: { libraryPath: string; seriesMetadataPath: string };
  const synced = join(s.dir, 'synced.db');

  const seriesKeys = async (store: string) => (await run(['series', 'list', '--json'], { store })).json<{ items: { key: string }[] }>().items.map((x) => x.key).sort();
  const membership = async (store: string) => {
    const books = (await run(['books', 'list', '--json'], { store })).json<{ items: { asin: string; series: { key?: string; seriesKey?: string }[] | string }[] }>();
    return books.items.length;
  };
  const importFile = async (store: string, path: string, commit = true) => {
    const result = await run(['import', path, '--json', ...(commit ? ['--commit'] : [])], { store });
    expect(result.code, result.stderr).toBe(0);
    return result.json<{ titles: { created: number; updated: number }; series: { created: number; updated: number }; notes: string[] }>();
  };
  const sync = async (store: string) => {
    const result = await run(['audible', 'sync', '--json'], { store, env });
    expect(result.code, result.stderr).toBe(0);
  };

  beforeAll(async () => {
    fake = await startFakeAudible({ titles: 80, series: 12, seed: 12 });
    env = { SAGASYNC_SECRET: 'c2FnYXN5bmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhISE=', SAGASYNC_AUDIBLE_API_URL: fake.apiUrl, SAGASYNC_AMAZON_API_URL: fake.amazonUrl };
    const signIn = async (_q: string, shown: string) => {
      const url = /https?:\/\/\S+\/ap\/signin\S*/.exec(shown)?.[0];
      return (await fetch(url!, { redirect: 'manual' })).headers.get('location');
    };
    for (const store of [synced, join(s.dir, 'files-first.db')]) {
      const login = await run(['audible', 'login'], { store, env, answer: signIn });
      expect(login.code, login.stderr).toBe(0);
    }
    await sync(synced);
    const exported = await run(['audible', 'export', '--output', join(s.dir, 'export'), '--json'], { store: synced, env });
    expect(exported.code, exported.stderr).toBe(0);
    files = exported.json();
  });
  afterAll(async () => {
    await fake.close();
    s.cleanup();
  });

  it('the exported files into a fresh store give the series the sync gave', async () => {
    const fresh = join(s.dir, 'fresh.db');
    await importFile(fresh, files.libraryPath);
    const meta = await importFile(fresh, files.seriesMetadataPath);
    expect(meta.notes.join('\n')).toMatch(/joined the Audible series/);
    expect(await seriesKeys(fresh)).toEqual(await seriesKeys(synced));
    expect(await membership(fresh)).toBe(await membership(synced));
  });

  it('the exported files into the synced store have nothing to create', async () => {
    const library = await importFile(synced, files.libraryPath, false);
    expect(library.series.created).toBe(0);
    expect(library.titles.created).toBe(0);
    const before = await seriesKeys(synced);
    await importFile(synced, files.libraryPath);
    const meta = await importFile(synced, files.seriesMetadataPath, false);
    expect(meta.series.created).toBe(0);
    expect(await seriesKeys(synced)).toEqual(before);
  });

  it('files first, then a sync: the same series again', async () => {
    const store = join(s.dir, 'files-first.db');
    await importFile(store, files.libraryPath);
    await sync(store);
    expect(await seriesKeys(store)).toEqual(await seriesKeys(synced));
    // And the files once more: still nothing new.
    expect((await importFile(store, files.libraryPath, false)).series.created).toBe(0);
  });
});
