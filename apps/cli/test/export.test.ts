import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examples, run, scratch } from './harness.js';

describe('sagasync export', () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(async () => {
    s = scratch();
    await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store });
    await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store });
    await run(['progress', 'finish', 'B0DEMO0006'], { store: s.store });
  });
  afterEach(() => s.cleanup());

  const snapshot = async (store: string) => ({
    books: (await run(['books', 'list', '--json'], { store })).json(),
    series: (await run(['series', 'list', '--json'], { store })).json(),
  });

  for (const format of ['json', 'csv'] as const) {
    it(`writes ${format} that imports back unchanged, and rebuilds the same library in a new store`, async () => {
      const out = join(s.dir, `out-${format}`);
      const exported = await run(['export', '--format', format, '--output', out, '--json'], { store: s.store });
      expect(exported.code, exported.stderr).toBe(0);
      const { files } = exported.json<{ files: string[] }>();
      expect(files).toHaveLength(format === 'json' ? 1 : 2);

      for (const file of files) {
        const again = await run(['import', file, '--commit', '--json'], { store: s.store });
        expect(again.code, again.stderr).toBe(0);
        const report = again.json<Record<'titles' | 'series' | 'progress', { created: number; updated: number }>>();
        for (const kind of ['titles', 'series', 'progress'] as const) expect(report[kind], `${file} ${kind}`).toMatchObject({ created: 0, updated: 0 });
      }

      const fresh = join(s.dir, `fresh-${format}.db`);
      for (const file of files) expect((await run(['import', file, '--commit'], { store: fresh })).code).toBe(0);
      expect(await snapshot(fresh)).toEqual(await snapshot(s.store));
    });
  }

  it('never overwrites a file', async () => {
    const out = join(s.dir, 'out');
    expect((await run(['export', '--output', out], { store: s.store })).code).toBe(0);
    const second = await run(['export', '--output', out], { store: s.store });
    // A later clock tick gives a new name; the same name would be refused.
    expect(second.code).toBe(0);
    const bad = await run(['export', '--format', 'xml'], { store: s.store });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown format "xml"');
  });
});
