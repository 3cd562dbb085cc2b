import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examples, run, scratch } from './harness.js';

interface SeriesJson {
  key: string;
  title: string;
  status: string;
  volumes: { asin: string; title: string; sequence: string; owned: boolean; status: string }[];
  ownedCount: number;
  finishedCount: number;
  missing: { sequence: string; inferred: boolean }[];
  nextUp: { asin: string; title: string } | null;
  nextToBuy: { sequence: string; inferred: boolean; upcoming: boolean; title: string | null } | null;
}

describe('series report, progress and clean-up on the demo library', () => {
  let s: ReturnType<typeof scratch>;
  const seriesList = async () => {
    const result = await run(['series', 'list', '--json'], { store: s.store });
    expect(result.code).toBe(0);
    return new Map(result.json<{ items: SeriesJson[] }>().items.map((v) => [v.title, v]));
  };

  beforeEach(async () => {
    s = scratch();
    expect((await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store })).code).toBe(0);
    expect((await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store })).code).toBe(0);
  });
  afterEach(() => s.cleanup());

  it('derives every series status, gap and next volume', async () => {
    const series = await seriesList();
    expect([...series.keys()].sort()).toEqual(
      ['Copper & Quill', 'Hollow Pines Mysteries', 'Ledger of Kings', 'Starwake Chronicles', 'The Drowned World Cycle', 'The Ember Throne', 'Tidewater'].sort(),
    );
    const ember = series.get('The Ember Throne')!;
    expect(ember).toMatchObject({ status: 'in_progress', ownedCount: 4, finishedCount: 3, nextUp: { asin: 'B0DEMO0004' } });
    expect(ember.missing.map((m) => m.sequence)).toEqual(['2.5', '4']);
    expect(ember.nextToBuy).toMatchObject({ sequence: '4', inferred: false, title: 'The Smoke Regent' });

    // The omnibus covers 1-3; book 5 is announced, not out yet.
    const starwake = series.get('Starwake Chronicles')!;
    expect(starwake).toMatchObject({ status: 'in_progress', nextUp: { asin: 'B0DEMO0006' }, nextToBuy: { sequence: '5', upcoming: true } });
    expect(starwake.missing.map((m) => m.sequence)).toEqual(['5']);

    expect(series.get('Hollow Pines Mysteries')).toMatchObject({ status: 'complete', ownedCount: 6, finishedCount: 6, missing: [], nextUp: null, nextToBuy: null });
    expect(series.get('Ledger of Kings')).toMatchObject({ status: 'caught_up', nextToBuy: { sequence: '4' } });
    expect(series.get('Copper & Quill')).toMatchObject({ status: 'not_started', nextUp: { asin: 'B0DEMO0016' } });
    // Tidewater has no metadata: the gap at 2 is inferred.
    expect(series.get('Tidewater')).toMatchObject({ status: 'in_progress', missing: [{ sequence: '2', inferred: true }] });
    // The Long Tide is in two series.
    expect(series.get('The Drowned World Cycle')).toMatchObject({ status: 'caught_up', ownedCount: 1 });
  });

  it('shows one series on a terminal and finds a series by a title ASIN', async () => {
    const shown = await run(['series', 'show', 'the ember throne'], { store: s.store });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('The Smoke Regent');
    expect(shown.stdout).toContain('next up');
    expect(shown.stdout).not.toMatch(/\x1b\[/); // piped: no colour codes
    const byTitle = await run(['series', 'show', 'B0DEMO0018', '--json'], { store: s.store });
    expect(byTitle.json<{ items: SeriesJson[] }>().items.map((v) => v.title).sort()).toEqual(['The Drowned World Cycle', 'Tidewater']);
    const tty = await run(['series', 'list'], { store: s.store, tty: true });
    expect(tty.stdout).toMatch(/[┌─│]/);
    const missing = await run(['series', 'show', 'No Such Series'], { store: s.store });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no series matches');
  });

  it('lists books with filters and the JSON shape scripts rely on', async () => {
    const inProgress = await run(['books', 'list', '--status', 'in_progress', '--json'], { store: s.store });
    const rows = inProgress.json<{ items: { asin: string; status: string; percentComplete: number; series: { title: string; sequence: string; position: number | null }[] }[] }>().items;
    expect(rows.map((r) => r.asin).sort()).toEqual(['B0DEMO0004', 'B0DEMO0006', 'B0DEMO0019', 'B0DEMO0020']);
    expect(rows.find((r) => r.asin === 'B0DEMO0006')).toMatchObject({ percentComplete: 37.5, series: [{ title: 'Starwake Chronicles', sequence: 'Book 4', position: 4 }] });
    const first = rows[0]!;
    expect(Object.keys(first).sort()).toEqual(['asin', 'authors', 'narrators', 'owned', 'percentComplete', 'series', 'status', 'subtitle', 'title'].sort());
    // The status as the table prints it is accepted too.
    const printed = await run(['books', 'list', '--status', 'In progress', '--json'], { store: s.store });
    expect(printed.json<{ items: { asin: string }[] }>().items.map((r) => r.asin)).toEqual(rows.map((r) => r.asin));
    const unknown = await run(['books', 'list', '--status', 'halfway'], { store: s.store });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('use one of: not started, in progress, finished');
    const tide = await run(['books', 'list', '--series', 'Tidewater', '--json'], { store: s.store });
    expect(tide.json<{ items: { asin: string }[] }>().items.map((r) => r.asin)).toEqual(['B0DEMO0018', 'B0DEMO0019']);
    const bad = await run(['books', 'list', '--status', 'paused'], { store: s.store });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown status "paused"');
  });

  it('applies listening events with the cascade and keeps the history', async () => {
    const finish = await run(['progress', 'finish', 'B0DEMO0004', '--json'], { store: s.store });
    expect(finish.code).toBe(0);
    const result = finish.json<{ changed: boolean; series: SeriesJson[] }>();
    expect(result.changed).toBe(true);
    expect(result.series.find((v) => v.title === 'The Ember Throne')).toMatchObject({ status: 'caught_up' });

    const again = await run(['progress', 'finish', 'B0DEMO0004', '--json'], { store: s.store });
    expect(again.json<{ changed: boolean }>().changed).toBe(false);

    const history = await run(['progress', 'history', 'B0DEMO0004', '--json'], { store: s.store });
    const entries = history.json<{ items: { event: string; toStatus: string }[] }>().items;
    expect(entries.map((e) => e.event)).toEqual(['started', 'finished']);

    // Starting a finished title again is a re-listen.
    const restart = await run(['progress', 'start', 'B0DEMO0001', '--json'], { store: s.store });
    expect(restart.json<{ progress: { status: string } }>().progress.status).toBe('in_progress');
    const restartHistory = await run(['progress', 'history', 'B0DEMO0001', '--json'], { store: s.store });
    expect(restartHistory.json<{ items: { event: string }[] }>().items.at(-1)!.event).toBe('restarted');

    // Not an ASIN: a title, and no title matches it.
    const notAsin = await run(['progress', 'finish', 'nope'], { store: s.store });
    expect(notAsin.code).toBe(1);
    expect(notAsin.stderr).toContain('no title matches "nope"');
    const unknown = await run(['progress', 'finish', 'B0ZZZZZZZZ'], { store: s.store });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('B0ZZZZZZZZ');
  });

  it('cleans up synthetic volumes of series you no longer own anything in', async () => {
    const orphan = join(s.dir, 'orphan-series.json');
    writeFileSync(
      orphan,
      JSON.stringify({
        format: 'sagasync-series-metadata',
        version: 1,
        generatedAt: '2026-11-20T08:00:00.000Z',
        series: [{ asin: null, title: 'Unowned Saga', volumes: [1, 2].map((n) => ({ asin: `B0ORPHAN0${n}`, title: `Unowned ${n}`, sequence: String(n), owned: false, authors: ['Nobody'], narrators: [] })) }],
      }),
    );
    expect((await run(['import', orphan, '--commit'], { store: s.store })).code).toBe(0);
    const dry = await run(['cleanup', 'synthetic', '--dry-run', '--json'], { store: s.store });
    expect(dry.json()).toEqual({ dryRun: true, removed: ['B0ORPHAN01', 'B0ORPHAN02'] });
    const stillThere = await run(['books', 'list', '--json'], { store: s.store });
    expect(stillThere.json<{ items: unknown[] }>().items).toHaveLength(30);
    const real = await run(['cleanup', 'synthetic', '--json'], { store: s.store });
    expect(real.json()).toEqual({ dryRun: false, removed: ['B0ORPHAN01', 'B0ORPHAN02'] });
    const after = await run(['books', 'list', '--json'], { store: s.store });
    expect(after.json<{ items: unknown[] }>().items).toHaveLength(28);
    const recompute = await run(['series', 'recompute', '--json'], { store: s.store });
    expect(recompute.json<{ removed: number }>().removed).toBe(1);
  });
});
