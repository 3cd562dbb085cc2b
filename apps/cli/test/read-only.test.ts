import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, scratch } from './harness.js';

describe('reading a store that is not there', () => {
  const s = scratch();
  afterEach(() => s.cleanup());

  it('reads an empty library and creates no file or folder', async () => {
    const store = join(s.dir, 'nested', 'never.db');
    const books = await run(['books', 'list', '--json'], { store });
    expect(books.code, books.stderr).toBe(0);
    expect(books.json()).toEqual({ items: [], nextCursor: null });
    const status = await run(['status', '--json'], { store });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toMatchObject({ store, titles: { owned: 0 }, series: { total: 0 }, lastRuns: [] });
    for (const args of [['series', 'list'], ['conflicts', 'list'], ['series', 'show', 'Dune'], ['progress', 'history', 'B0DEMO0001']]) await run(args, { store });
    expect(existsSync(join(s.dir, 'nested'))).toBe(false);

    // A command that writes creates the store as before.
    expect((await run(['series', 'recompute'], { store })).code).toBe(0);
    expect(existsSync(store)).toBe(true);
  });
});
