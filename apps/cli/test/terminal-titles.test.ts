import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedLibrary, examples, run, scratch } from './harness.js';

interface EventJson {
  asin: string;
  title: string;
  changed: boolean;
}

describe('titles and series as a person types them', () => {
  const s = scratch();
  beforeAll(async () => {
    // A title with a curly apostrophe, as Audible writes them.
    const library = editedLibrary(s.dir, 'library.tsv', { B0DEMO0021: { title: 'Abaddon’s Gate' } });
    expect((await run(['import', library, '--commit'], { store: s.store })).code).toBe(0);
    expect((await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store })).code).toBe(0);
  });
  afterAll(() => s.cleanup());

  it('progress finish takes a title in any case, a straight apostrophe for a curly one, and names it', async () => {
    const finish = await run(['progress', 'finish', "abaddon's gate"], { store: s.store });
    expect(finish.code, finish.stderr).toBe(0);
    expect(finish.stdout).toContain('Finished “Abaddon’s Gate” (B0DEMO0021).');
    const again = await run(['progress', 'finish', 'ABADDON’S GATE'], { store: s.store });
    expect(again.stdout).toContain('“Abaddon’s Gate” (B0DEMO0021) was already finished; nothing changed.');
  });

  it('progress start, reset and history take a unique start or part of a title; --json names it', async () => {
    const start = await run(['progress', 'start', 'salt and', '--json'], { store: s.store });
    expect(start.code, start.stderr).toBe(0);
    expect(start.json<EventJson>()).toMatchObject({ asin: 'B0DEMO0019', title: 'Salt and Silence' });
    const reset = await run(['progress', 'reset', 'Quiet Engineer'], { store: s.store });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Reset “The Quiet Engineer” (B0DEMO0020): not started.');
    const history = await run(['progress', 'history', 'the quiet engineer'], { store: s.store });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('“The Quiet Engineer” (B0DEMO0020)');
    const json = await run(['progress', 'history', 'quiet engineer', '--json'], { store: s.store });
    expect(json.json()).toMatchObject({ asin: 'B0DEMO0020', title: 'The Quiet Engineer', items: expect.any(Array), nextCursor: null });
    // The ASIN still works, in any case.
    expect((await run(['progress', 'history', 'b0demo0020', '--json'], { store: s.store })).json()).toMatchObject({ asin: 'B0DEMO0020' });
  });

  it('an ambiguous title lists the candidates with their ASINs and exits 2, writing nothing', async () => {
    const before = await run(['progress', 'history', 'B0DEMO0006', '--json'], { store: s.store });
    const result = await run(['progress', 'finish', 'starwake'], { store: s.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: "starwake" matches 3 titles:');
    expect(result.stderr).toContain('  B0DEMO0006  Starwake: Dark Harbor');
    expect(result.stderr).toContain('  B0DEMO0005  Starwake: The First Trilogy');
    expect(result.stderr).toContain('  B0DEMO0024  Starwake: The Far Shoal');
    expect(result.stderr).toContain('hint: give more of the title, or its ASIN');
    expect((await run(['progress', 'history', 'B0DEMO0006', '--json'], { store: s.store })).stdout).toBe(before.stdout);
  });

  it('an unknown title says what it might have meant; an unknown ASIN is named', async () => {
    const typo = await run(['progress', 'finish', 'Embres of the Last King'], { store: s.store });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('error: no title matches "Embres of the Last King"; did you mean “Embers of the Last King” (B0DEMO0004)?');
    const asin = await run(['progress', 'finish', 'B0ZZZZZZZZ'], { store: s.store });
    expect(asin.code).toBe(1);
    expect(asin.stderr).toContain('no title B0ZZZZZZZZ in the library');
  });

  it('series show takes a name without its article, any case, a unique start or word; several exit 2', async () => {
    const titleOf = async (query: string) => {
      const result = await run(['series', 'show', query, '--json'], { store: s.store });
      expect(result.code, `${query}: ${result.stderr}`).toBe(0);
      return result.json<{ items: { title: string }[] }>().items.map((v) => v.title);
    };
    expect(await titleOf('ember throne')).toEqual(['The Ember Throne']);
    expect(await titleOf('EMBER')).toEqual(['The Ember Throne']);
    expect(await titleOf('drowned world')).toEqual(['The Drowned World Cycle']);
    expect(await titleOf('pines')).toEqual(['Hollow Pines Mysteries']);

    const several = await run(['series', 'show', 'the'], { store: s.store });
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('error: "the" matches 2 series:\n  The Drowned World Cycle\n  The Ember Throne\n');
    const typo = await run(['series', 'show', 'Hollow Pine Mystries'], { store: s.store });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean "Hollow Pines Mysteries"');
  });
});
