import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushToNotion } from '../src/apply/push.js';
import { getNotionBotUserId } from '../src/client/pages.js';
import { pullFromNotion, pullNotionPage } from '../src/pull/pull.js';
import { resetNotion } from '../src/reset/reset.js';
import { createNotionWebhookHandler } from '../src/webhook/handler.js';
import { signNotionPayload } from '../src/webhook/verify-signature.js';
import { loadMirror } from '../src/state/mirror-records.js';
import { booksByAsin, OWNER, testRules, world, type World } from './helpers.js';

let w: World | undefined;
beforeEach(() => {
  testRules.events.length = 0;
});
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const pageOf = (asin: string) => booksByAsin(w!).get(asin)![0]!.id as string;

describe('pullFromNotion', () => {
  it('turns Status and Progress % edited by hand into listening events, then push writes only the cascade', async () => {
    w = await world(10, 2);
    await pushToNotion(w.deps);
    w.fake.state.editByHand(pageOf('B000000001'), { Status: { select: { name: 'Finished' } } });
    w.fake.state.editByHand(pageOf('B000000003'), { 'Progress %': { number: 40 } });
    w.fake.state.editByHand(pageOf('B000000002'), { Status: { select: { name: 'In progress' } }, 'Progress %': { number: 12 } });
    const pulled = await pullFromNotion(w.deps);
    expect(pulled.events.map(({ asin, kind, percent }) => ({ asin, kind, percent }))).toEqual([
      { asin: 'B000000001', kind: 'finished', percent: undefined },
      { asin: 'B000000002', kind: 'started', percent: 12 },
      { asin: 'B000000003', kind: 'progress', percent: 40 },
    ]);
    expect(pulled.events.every((e) => e.source === 'notion')).toBe(true);
    expect((await w.storage.getProgress(OWNER, 'B000000001'))?.status).toBe('finished');

    // A second pull sees nothing new.
    expect((await pullFromNotion(w.deps)).events).toEqual([]);

    // The next push leaves the hand-edited values alone and writes what they changed elsewhere.
    w.fake.resetStats();
    const pushed = await pushToNotion(w.deps);
    // Only B3's Status (derived from its new percent) is written; the hand-set ones are left alone.
    expect(pushed.planned.propertiesChanged['Books.Status']).toBe(1);
    const statusPatches = w.fake.stats.requests.filter((r) => r.route === 'PATCH /v1/pages/:id' && 'Status' in ((r.body as { properties: object }).properties ?? {}));
    const bookIds = new Set(w.fake.state.listPages(w.booksDs).map((p) => p.id));
    expect(statusPatches.map((r) => r.path.split('/').pop()).filter((id) => bookIds.has(id!))).toEqual([pageOf('B000000003')]);
    expect(booksByAsin(w).get('B000000003')![0]).toMatchObject({ Status: 'In progress', 'Progress %': 40 });
    expect(pushed.planned.propertiesChanged['Series.Finished']).toBe(1);
    expect(booksByAsin(w).get('B000000001')![0]).toMatchObject({ Status: 'Finished', 'Progress %': 100 });
  });

  it('pulls one page for a signed webhook and rejects a bad signature', async () => {
    w = await world(4, 1);
    await pushToNotion(w.deps);
    const page = pageOf('B000000002');
    w.fake.state.editByHand(page, { Status: { select: { name: 'Finished' } } });
    expect(await getNotionBotUserId(w.notion)).toBe(w.fake.state.botUserId);
    const tokens: string[] = [];
    const handler = createNotionWebhookHandler({
      verificationToken: 'secret_verify',
      onVerificationToken: (t) => void tokens.push(t),
      pullPage: (id) => pullNotionPage(w!.deps, id),
      botUserId: await getNotionBotUserId(w.notion),
    });
    expect(await handler({ headers: {}, body: JSON.stringify({ verification_token: 'secret_verify' }) })).toMatchObject({ status: 200 });
    expect(tokens).toEqual(['secret_verify']);

    const body = JSON.stringify({ id: 'evt-1', type: 'page.properties_updated', timestamp: '2024-05-01T10:00:00Z', authors: [{ id: w.fake.state.personUserId, type: 'person' }], entity: { id: page, type: 'page' }, data: { updated_properties: ['x'] } });
    expect(await handler({ headers: { 'x-notion-signature': signNotionPayload(body, 'wrong') }, body })).toMatchObject({ status: 401 });
    expect(testRules.events).toEqual([]);
    expect(await handler({ headers: { 'X-Notion-Signature': signNotionPayload(body, 'secret_verify') }, body })).toEqual({ status: 200, body: { pulled: page } });
    expect(testRules.events).toMatchObject([{ asin: 'B000000002', kind: 'finished', source: 'notion' }]);
    expect(await handler({ headers: { 'x-notion-signature': signNotionPayload(body, 'secret_verify') }, body })).toMatchObject({ body: { ignored: 'duplicate' } });

    const own = JSON.stringify({ id: 'evt-2', type: 'page.properties_updated', authors: [{ id: w.fake.state.botUserId, type: 'bot' }], entity: { id: page, type: 'page' } });
    expect(await handler({ headers: { 'x-notion-signature': signNotionPayload(own, 'secret_verify') }, body: own })).toMatchObject({ body: { ignored: 'own_write' } });
    expect(testRules.events).toHaveLength(1);
  });
});

describe('resetNotion', () => {
  it('trashes synthetic volumes only, then everything SagaSync created, but never the user’s adopted pages', async () => {
    w = await world(10, 2);
    const mine = w.fake.state.createByHand(w.booksDs, { Title: { title: [{ text: { content: 'My own copy' } }] }, ASIN: { rich_text: [{ text: { content: 'B000000001' } }] } });
    const first = await pushToNotion(w.deps);
    expect(first.books.adopted).toBe(1);
    expect(first.books.created).toBe(9);

    const synthetic = await resetNotion(w.deps, { syntheticOnly: true });
    expect(synthetic.trashed).toEqual({ books: 2, series: 0 });
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(8);

    const all = await resetNotion(w.deps);
    expect(all.trashed).toEqual({ books: 7, series: 2 });
    expect(all.released).toBe(1);
    expect(w.fake.state.listPages(w.booksDs).map((p) => p.id)).toEqual([mine]);
    expect(w.fake.state.listPages(w.seriesDs)).toHaveLength(0);
    expect(await loadMirror(w.storage, OWNER)).toEqual({ books: {}, series: {} });
  });

  it('resumes an interrupted reset where it stopped', async () => {
    w = await world(12, 2);
    await pushToNotion(w.deps);
    let trashed = 0;
    const notion = { ...w.notion, onRequest: (e: { operation: string }) => {
      if (e.operation === 'trash page' && ++trashed === 5) throw new Error('interrupted');
    } };
    await expect(resetNotion({ ...w.deps, notion })).rejects.toThrow();
    const left = await loadMirror(w.storage, OWNER);
    expect(Object.keys(left.books).length + Object.keys(left.series).length).toBe(14 - 4);
    w.fake.resetStats();
    const rest = await resetNotion(w.deps);
    expect(rest.trashed.books + rest.trashed.series).toBe(10);
    expect(w.fake.stats.total).toBe(10);
    expect(w.fake.state.listPages(w.booksDs)).toHaveLength(0);
  });
});
