import { afterEach, describe, expect, it } from 'vitest';
import { coreRules } from '../src/apply/core-rules.js';
import { pushToNotion, type PushProgress } from '../src/apply/push.js';
import { bookValues, seriesRowFrom, seriesValues } from '../src/plan/desired-values.js';
import { hashValues, valueFromResponse, type PropertyValues } from '../src/plan/property-values.js';
import { OWNER, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Every live page against what the store wants: duplicates, missing, differing and stray pages. */
async function diffWithStore(w: World) {
  const values = (id: string): PropertyValues => {
    const res = w.fake.state.pageResponse(w.fake.state.getPage(id)) as { properties: Record<string, unknown> };
    return Object.fromEntries(Object.entries(res.properties).flatMap(([k, p]) => (valueFromResponse(p) ? [[k, valueFromResponse(p)!]] : [])));
  };
  const index = (ds: string, key: string) => {
    const by = new Map<string, string[]>();
    for (const p of w.fake.state.listPages(ds)) {
      const k = String(w.fake.state.plainValues(p)[key]);
      by.set(k, [...(by.get(k) ?? []), p.id]);
    }
    return by;
  };
  const books = index(w.booksDs, 'ASIN');
  const series = index(w.seriesDs, 'Key');
  const seriesIds = new Map([...series].map(([k, ids]) => [k, ids[0]!]));
  const out = { duplicates: 0, missing: 0, differing: [] as string[], strays: 0 };
  const check = (by: Map<string, string[]>, key: string, want: PropertyValues) => {
    const ids = by.get(key);
    by.delete(key);
    if (!ids) return void (out.missing += 1);
    out.duplicates += ids.length - 1;
    const have = hashValues(values(ids[0]!));
    for (const [name, hash] of Object.entries(hashValues(want))) if (have[name] !== hash) out.differing.push(`${key}.${name}`);
  };
  const progress = new Map((await w.storage.listProgress(OWNER)).items.map((p) => [p.asin, p]));
  for (const view of await coreRules.seriesReport(w.storage, OWNER)) check(series, view.key, seriesValues(seriesRowFrom(view)));
  for (const t of (await w.storage.listTitles(OWNER)).items) check(books, t.asin, bookValues(t, progress.get(t.asin) ?? null, seriesIds));
  out.strays = [...books.values(), ...series.values()].reduce((n, ids) => n + ids.length, 0);
  return out;
}

describe('push under injected faults', () => {
  it.each([1, 2, 3])('seed %i: ends with Notion equal to the store and no duplicates, 20 percent of requests failing', async (seed) => {
    w = await world(40, 5, { seed });
    w.fake.setFaults({ rate: 0.2, retryAfterSeconds: 0 });
    const phases: PushProgress[] = [];
    const deps = { ...w.deps, rules: coreRules, onProgress: (p: PushProgress) => phases.push(p) };
    const result = await pushToNotion(deps);
    expect(Object.values(w.fake.stats.faults).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(5);
    w.fake.setFaults(undefined);
    expect(await diffWithStore(w)).toEqual({ duplicates: 0, missing: 0, differing: [], strays: 0 });
    expect(result.books.created + result.series.created).toBe(45);
    expect(phases.at(-1)).toEqual({ phase: 'books', step: 'creating', label: 'books: creating', done: 40, total: 40 });
    // And nothing is left to do.
    w.fake.resetStats();
    const again = await pushToNotion(deps);
    expect(again.planned).toMatchObject({ creates: 0, updates: 0 });
  });
});
