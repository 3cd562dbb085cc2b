import { afterEach, describe, expect, it } from 'vitest';
import { coreRules } from '../src/apply/core-rules.js';
import { pushToNotion } from '../src/apply/push.js';
import { pullFromNotion } from '../src/pull/pull.js';
import { loadMirror } from '../src/state/mirror-records.js';
import { booksByAsin, library, OWNER, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const text = (content: string) => [{ text: { content } }];

describe('adopting the user’s own tracker pages', () => {
  it('links a matching page instead of duplicating it, and turns an ambiguous one into a conflict', async () => {
    w = await world(6, 1);
    // Two editions with the same title and author: a page naming it cannot be told apart.
    const twins = library(2, 0).titles.map((t, i) => ({ ...t, asin: `T00000000${i + 1}`, title: 'The Twin Kingdoms', authors: ['Ann Leckie'] }));
    await w.storage.applyBatch(OWNER, twins.map((value) => ({ op: 'putTitle' as const, value })));
    const own = w.fake.state.createByHand(w.booksDs, { Title: { title: text('Book 3') }, Authors: { rich_text: text('Author 2') }, Status: { select: { name: 'Finished' } } });
    const twin = w.fake.state.createByHand(w.booksDs, { Title: { title: text('The Twin Kingdoms') }, Authors: { rich_text: text('Ann Leckie') } });
    const unrelated = w.fake.state.createByHand(w.booksDs, { Title: { title: text('A Cookbook Nobody Owns') } });

    const result = await pushToNotion(w.deps);
    expect(result.books.adopted).toBe(1);
    expect(result.conflicts).toBe(1);
    expect(result.books.created).toBe(7);
    const mirror = await loadMirror(w.storage, OWNER);
    expect(mirror.books.B000000003).toMatchObject({ pageId: own, origin: 'adopted' });
    // The adopted page now carries SagaSync's values, ASIN included, but keeps the person's Status,
    // which the next pull brings into the store.
    expect(booksByAsin(w).get('B000000003')).toHaveLength(1);
    expect(w.fake.state.plainValues(w.fake.state.getPage(own))).toMatchObject({ ASIN: 'B000000003', Owned: true, Status: 'Finished', Authors: 'Author 2' });
    const pulled = await pullFromNotion({ ...w.deps, rules: coreRules });
    expect(pulled.events).toMatchObject([{ asin: 'B000000003', kind: 'finished' }]);
    expect((await w.storage.getProgress(OWNER, 'B000000003'))?.isFinished).toBe(true);
    expect((await w.storage.listLinks(OWNER, { source: 'notion' })).items).toMatchObject([{ asin: 'B000000003', trackerId: own, method: 'title_author' }]);
    const conflicts = (await w.storage.listConflicts(OWNER)).items;
    expect(conflicts).toMatchObject([{ id: `notion:${twin}`, status: 'open' }]);
    expect(conflicts[0]!.candidates.map((c) => c.asin).sort()).toEqual(['T000000001', 'T000000002']);
    expect(w.fake.state.plainValues(w.fake.state.getPage(unrelated)).ASIN).toBe('');

    // A second push neither re-raises the conflict nor creates anything.
    const again = await pushToNotion(w.deps);
    expect(again.conflicts).toBe(0);
    expect(again.books.created).toBe(0);
  });

  it('follows a person’s remembered decision over the matcher', async () => {
    w = await world(4, 1);
    const page = w.fake.state.createByHand(w.booksDs, { Title: { title: text('Something else entirely') } });
    await w.storage.applyBatch(OWNER, [{ op: 'putDecision', value: { source: 'notion', trackerId: page, asin: 'B000000004', decision: 'link', decidedAt: '2024-01-01T00:00:00.000Z' } }]);
    const result = await pushToNotion(w.deps);
    expect(result.books.adopted).toBe(1);
    expect((await loadMirror(w.storage, OWNER)).books.B000000004?.pageId).toBe(page);
    expect((await w.storage.listLinks(OWNER, { asin: 'B000000004' })).items).toMatchObject([{ method: 'manual' }]);
  });
});
