import { join } from 'node:path';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples, run, scratch } from './harness.js';

interface PushJson {
  series: { created: number; updated: number; unchanged: number };
  books: { created: number; updated: number; unchanged: number };
  planned: { propertiesChanged: Record<string, number> };
}
interface ResetJson {
  dryRun: boolean;
  trashed: { books: number; series: number };
  pages: { table: string; key: string; title: string | null; pageId: string }[];
}
type Databases = { books: { databaseId: string; dataSourceId: string }; series: { databaseId: string; dataSourceId: string } };

// The Notion commands after issue 12 (findings from the real API), against tools/fake-notion.
describe('sagasync notion, as the real API behaves', () => {
  let fake: FakeNotion;
  const s = scratch();
  let env: Record<string, string>;
  let databases: Databases;
  let parent: string;
  const livePages = () => fake.state.listPages(databases.books.dataSourceId).length + fake.state.listPages(databases.series.dataSourceId).length;

  beforeAll(async () => {
    fake = await startFakeNotion({ seed: 12 });
    env = { NOTION_TOKEN: fake.token, NOTION_BASE_URL: fake.url, SAGASYNC_NOTION_REQUESTS_PER_SECOND: '50' };
    await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store });
    await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store });
    parent = fake.state.addParentPage('Audiobooks');
  });
  afterAll(async () => {
    await fake.close();
    s.cleanup();
  });

  it('setup refuses a --parent that is no page id or link, naming the option, and takes the page’s link', async () => {
    const bad = await run(['notion', 'setup', '--parent', 'https://example.com/not-notion'], { store: s.store, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--parent: "https://example.com/not-notion" is not a Notion page id or page URL');
    expect(bad.stderr).toContain('hint:');
    expect(fake.stats.total).toBe(0);

    const link = `https://www.notion.so/workspace/Audiobooks-${parent.replace(/-/g, '')}?pvs=4`;
    const setup = await run(['notion', 'setup', '--parent', link, '--json'], { store: s.store, env });
    expect(setup.code, setup.stderr).toBe(0);
    ({ databases } = setup.json<{ databases: Databases }>());
    expect([...fake.state.databases.values()].filter((db) => db.parentPageId === parent)).toHaveLength(2);
  });

  it('push names each phase of its progress line on a terminal', async () => {
    const first = await run(['notion', 'push'], { store: s.store, env, tty: true });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('scanning Notion');
    expect(first.stderr).toContain('series: creating');
    expect(first.stderr).toContain('books: creating');
    expect(livePages()).toBe(28 + 7);
  });

  it('push --full writes back what was emptied in Notion, which an ordinary push trusts its records about', async () => {
    const page = fake.state.listPages(databases.books.dataSourceId).find((p) => fake.state.plainValues(p).ASIN === 'B0DEMO0004')!;
    fake.state.editByHand(page.id, { Authors: { rich_text: [] } });
    const plain = await run(['notion', 'push', '--json'], { store: s.store, env });
    expect(plain.json<PushJson>().books.updated).toBe(0);
    const full = await run(['notion', 'push', '--full', '--json'], { store: s.store, env });
    expect(full.code, full.stderr).toBe(0);
    expect(full.json<PushJson>().planned.propertiesChanged).toEqual({ 'Books.Authors': 1 });
    expect(fake.state.plainValues(fake.state.getPage(page.id)).Authors).not.toBe('');
  });

  it('push stops before writing when the databases no longer fit, pointing at notion check', async () => {
    fake.state.updateDataSource(databases.books.dataSourceId, { properties: { Narrators: null } });
    fake.resetStats();
    const push = await run(['notion', 'push'], { store: s.store, env });
    expect(push.code).toBe(2);
    expect(push.stderr).toContain('Books: property "Narrators" is missing');
    expect(push.stderr).toContain('hint: run `sagasync notion check`');
    expect(fake.stats.requests.filter((r) => r.method !== 'GET' && !r.route.includes('query'))).toEqual([]);
    const repair = await run(['notion', 'check', '--repair'], { store: s.store, env });
    expect(repair.code, repair.stderr).toBe(0);
    // The property came back empty on every page: the next push fills it, though its records said it was there.
    const again = await run(['notion', 'push', '--json'], { store: s.store, env });
    expect(again.json<PushJson>().planned.propertiesChanged['Books.Narrators']).toBe(28);
  });

  it('reset lists what it would trash with --dry-run, refuses without a terminal or --yes, and asks on a terminal', async () => {
    const dry = await run(['notion', 'reset', '--dry-run', '--json'], { store: s.store, env });
    expect(dry.code, dry.stderr).toBe(0);
    const plan = dry.json<ResetJson>();
    expect(plan).toMatchObject({ dryRun: true, trashed: { books: 28, series: 7 } });
    expect(plan.pages.find((p) => p.key === 'B0DEMO0004')).toMatchObject({ table: 'books', title: expect.any(String) });
    const dryText = await run(['notion', 'reset', '--dry-run'], { store: s.store, env });
    expect(dryText.stdout).toContain('Would move 28 book and 7 series pages to the Notion trash');
    expect(dryText.stdout).toContain('B0DEMO0004');
    expect(livePages()).toBe(35);

    const piped = await run(['notion', 'reset'], { store: s.store, env });
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain('asks first; nothing was changed');
    expect(piped.stderr).toContain('--yes');
    expect(livePages()).toBe(35);

    const declined = await run(['notion', 'reset', '--synthetic-only'], { store: s.store, env, tty: true, answer: () => 'n' });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toMatch(/Move \d+ book and 0 series pages? to the Notion trash\? \[y\/N\]/);
    expect(declined.stderr).toContain('reset cancelled');
    expect(livePages()).toBe(35);
    const nobody = await run(['notion', 'reset'], { store: s.store, env, tty: true });
    expect(nobody.code).toBe(1);
    expect(livePages()).toBe(35);

    const accepted = await run(['notion', 'reset', '--json'], { store: s.store, env, tty: true, answer: () => 'y' });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.json<ResetJson>().trashed).toEqual({ books: 28, series: 7 });
    expect(livePages()).toBe(0);

    // Nothing left to trash: nothing to ask.
    const empty = await run(['notion', 'reset'], { store: s.store, env });
    expect(empty.code, empty.stderr).toBe(0);
  });

  it('reset --yes goes ahead without a terminal', async () => {
    const push = await run(['notion', 'push', '--json'], { store: s.store, env });
    expect(push.code, push.stderr).toBe(0);
    expect(livePages()).toBe(35);
    const reset = await run(['notion', 'reset', '--yes', '--json'], { store: s.store, env });
    expect(reset.code, reset.stderr).toBe(0);
    expect(livePages()).toBe(0);
  });
});
