import { afterEach, describe, expect, it } from 'vitest';
import { pushToNotion } from '../src/index.js';
import { PUSH_LEASE } from '../src/apply/push-lease.js';
import { OWNER, world, type World } from './helpers.js';

/** Live (not trashed) pages in one of the fake's data sources. */
const pagesIn = (w: World, dataSourceId: string) => w.fake.state.listPages(dataSourceId);

describe('two pushes at once', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('one pushes, the other stops at once with store_locked, and no page is made twice', async () => {
    w = await world(40, 4);
    const results = await Promise.allSettled([pushToNotion(w.deps), pushToNotion(w.deps)]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ code: 'store_locked', details: { reason: 'notion_push_running' } });
    expect(pagesIn(w, w.booksDs)).toHaveLength(40);
    expect(pagesIn(w, w.seriesDs)).toHaveLength(4);
    // The lease is released: the next push runs, and finds nothing to do.
    expect(await w.storage.getLease(OWNER, PUSH_LEASE)).toBeNull();
    const again = await pushToNotion(w.deps);
    expect(again.books).toMatchObject({ created: 0, updated: 0 });
  });

  it('with a wait, the second runs after the first and changes nothing', async () => {
    w = await world(40, 4);
    const [first, second] = await Promise.all([pushToNotion(w.deps, { waitForOtherPushMs: 20_000 }), pushToNotion(w.deps, { waitForOtherPushMs: 20_000 })]);
    expect(first.books.created + second.books.created).toBe(40);
    expect(Math.min(first.books.created, second.books.created)).toBe(0);
    expect(pagesIn(w, w.booksDs)).toHaveLength(40);
  });

  it('a dry run needs no lease and runs beside a push', async () => {
    w = await world(10, 2);
    const lease = await w.storage.acquireLease(OWNER, { name: PUSH_LEASE, holder: 'someone-else', ttlMs: 30_000, now: new Date() });
    expect(lease).not.toBeNull();
    const dry = await pushToNotion(w.deps, { dryRun: true });
    expect(dry.planned.creates).toBeGreaterThan(0);
    await expect(pushToNotion(w.deps)).rejects.toMatchObject({ code: 'store_locked' });
  });
});
