import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { createInProcessJobRunner } from '../src/index.js';
import { call, context, exampleRecords, expectOk } from './helpers.js';

describe('library routes', () => {
  it('previews an import without writing, commits it, and a second commit changes nothing', async () => {
    const ctx = context();
    const records = await exampleRecords();
    const preview = await expectOk(ctx, 'POST', '/api/import', { body: { records } });
    expect(preview.committed).toBe(false);
    expect(preview.summary.titles.created).toBe(records.titles.length);
    expect(await ctx.storage.countTitles(ctx.ownerId)).toBe(0);

    const committed = await expectOk(ctx, 'POST', '/api/import', { body: { records, commit: true, source: 'library.tsv' } });
    expect(committed.runId).toEqual(expect.any(String));
    expect(await ctx.storage.countTitles(ctx.ownerId)).toBeGreaterThan(0);
    const again = await expectOk(ctx, 'POST', '/api/import', { body: { records, commit: true } });
    expect(again.summary.titles).toMatchObject({ created: 0, updated: 0 });
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const ctx = context();
    const records = await exampleRecords();
    const bad = { ...records, titles: [...records.titles.slice(0, 2), { ...records.titles[2]!, asin: 'nope' }] };
    const response = await call(ctx, 'POST', '/api/import', { body: { records: bad, commit: true } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'invalid_input', message: expect.stringContaining('body.records.titles.2.asin'), location: 'body.records.titles.2.asin' } });
    expect(await ctx.storage.countTitles(ctx.ownerId)).toBe(0);
    expect((await call(ctx, 'GET', '/api/books', { query: { limit: '0' } })).status).toBe(400);
    expect((await call(ctx, 'GET', '/api/books', { query: { cursor: 'garbage' } })).status).toBe(400);
    expect((await call(ctx, 'GET', '/api/nothing')).status).toBe(404);
    expect((await call(ctx, 'DELETE', '/api/books')).status).toBe(405);
  });

  it('lists books by status, series and ownership, in pages that add up to the whole list', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    const all = await expectOk(ctx, 'GET', '/api/books');
    expect(all.nextCursor).toBeNull();
    const paged = [];
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = await expectOk(ctx, 'GET', '/api/books', { query: { limit: '3', ...(cursor ? { cursor } : {}) } });
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.items);

    const finished = await expectOk(ctx, 'GET', '/api/books', { query: { status: 'finished' } });
    expect(finished.items.length).toBeGreaterThan(0);
    expect(finished.items.every((b: { status: string }) => b.status === 'finished')).toBe(true);
    const ember = await expectOk(ctx, 'GET', '/api/books', { query: { series: 'the ember throne' } });
    expect(ember.items.length).toBeGreaterThan(1);
    expect(ember.items.every((b: { series: { title: string }[] }) => b.series.some((s) => s.title === 'The Ember Throne'))).toBe(true);
    const owned = await expectOk(ctx, 'GET', '/api/books', { query: { owned: 'true' } });
    expect(owned.items.every((b: { owned: boolean }) => b.owned)).toBe(true);
  });

  it('shows a series by name, title ASIN or key; an unknown name is 404 with suggestions', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    const byName = await expectOk(ctx, 'GET', `/api/series/${encodeURIComponent('THE EMBER THRONE')}`);
    expect(byName.items.map((s: { title: string }) => s.title)).toEqual(['The Ember Throne']);
    const byTitle = await expectOk(ctx, 'GET', '/api/series/B0DEMO0001');
    expect(byTitle.items.map((s: { key: string }) => s.key)).toContain(byName.items[0].key);
    const byKey = await expectOk(ctx, 'GET', `/api/series/${encodeURIComponent(byName.items[0].key)}`);
    expect(byKey.items).toEqual(byName.items);

    const missing = await call(ctx, 'GET', '/api/series/Ember%20Thorn');
    expect(missing.status).toBe(404);
    expect((missing.body as { error: { message: string } }).error.message).toContain('did you mean "The Ember Throne"');

    const list = await expectOk(ctx, 'GET', '/api/series');
    expect(list.items.length).toBeGreaterThan(1);
    const firstPage = await expectOk(ctx, 'GET', '/api/series', { query: { limit: '2' } });
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.nextCursor).not.toBeNull();
  });

  it('records listening events with history and the cascade; webhooks do the same as a device', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    const books = await expectOk(ctx, 'GET', '/api/books', { query: { status: 'not_started', owned: 'true' } });
    const asin = books.items[0].asin as string;
    const started = await expectOk(ctx, 'POST', `/api/progress/${asin}/events`, { body: { kind: 'started' } });
    expect(started).toMatchObject({ asin, changed: true, progress: { status: 'in_progress' } });
    const finished = await expectOk(ctx, 'POST', '/webhook/finished', { body: { asin: asin.toLowerCase() } });
    expect(finished).toMatchObject({ asin, changed: true, progress: { status: 'finished' } });
    expect(finished.series.length).toBeGreaterThan(0);
    const history = await expectOk(ctx, 'GET', `/api/progress/${asin}/history`);
    expect(history.items.map((h: { event: string }) => h.event)).toEqual(['started', 'finished']);
    expect(history.items[1].source).toBe('webhook');
    expect((await call(ctx, 'POST', '/webhook/started', { body: { asin: 'B0NOSUCH00' } })).status).toBe(404);
  });

  it('reports status from counts and exports a library that imports back unchanged', async () => {
    const ctx = context();
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    const status = await expectOk(ctx, 'GET', '/api/status');
    expect(status.titles.owned).toBeGreaterThan(0);
    expect(status.series.total).toBe(status.series.not_started + status.series.in_progress + status.series.caught_up + status.series.complete);
    expect(status.lastRuns[0]).toMatchObject({ kind: 'import', status: 'succeeded' });

    const file = await expectOk(ctx, 'GET', '/api/export');
    const fresh = context({ storage: createMemoryStorage() });
    const { parseExportText } = await import('@sagasync/audible-parser');
    const parsed = await parseExportText(JSON.stringify(file), 'export.json');
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    await expectOk(fresh, 'POST', '/api/import', { body: { records: parsed.value.records, commit: true } });
    const back = await expectOk(ctx, 'POST', '/api/import', { body: { records: parsed.value.records } });
    expect(back.summary.titles).toMatchObject({ created: 0, updated: 0 });
    expect((await expectOk(fresh, 'GET', '/api/books')).items).toEqual((await expectOk(ctx, 'GET', '/api/books')).items);
  });

  it('keeps every route to its caller: another owner sees nothing and cannot read the job', async () => {
    const storage = createMemoryStorage();
    const alice = context({ storage, ownerId: 'alice' });
    const bob = context({ storage, ownerId: 'bob' });
    const job = await expectOk(alice, 'POST', '/api/notion/push', { body: {} }, 202);
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('config_missing');
    await expectOk(alice, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    expect((await expectOk(bob, 'GET', '/api/books')).items).toEqual([]);
    expect((await call(bob, 'GET', `/api/jobs/${job.id}`)).status).toBe(404);
    expect((await expectOk(alice, 'GET', `/api/jobs/${job.id}`)).id).toBe(job.id);
  });
});

describe('import answers', () => {
  it('list only changed records, at most 1,000 of each kind, and count the rest', async () => {
    const ctx = context();
    const base = await exampleRecords();
    const titles = Array.from({ length: 2_100 }, (_, i) => ({ ...base.titles[0]!, asin: `B1${String(i).padStart(8, '0')}`, series: [] }));
    const preview = await expectOk(ctx, 'POST', '/api/import', { body: { records: { titles, series: [], progress: [] } } });
    expect(preview.summary.titles.created).toBe(2_100);
    expect(preview.titles).toHaveLength(1_000);
    expect(preview.omitted).toEqual({ titles: 1_100, series: 0, progress: 0 });
    await expectOk(ctx, 'POST', '/api/import', { body: { records: { titles: titles.slice(0, 50), series: [], progress: [] }, commit: true } });
    const again = await expectOk(ctx, 'POST', '/api/import', { body: { records: { titles: titles.slice(0, 50), series: [], progress: [] } } });
    expect(again.summary.titles.unchanged).toBe(50);
    expect(again.titles).toEqual([]);
    expect(again.omitted.titles).toBe(50);
  });
});

describe('jobs', () => {
  it('runs a large committed import as a job: 202 at once, then the finished report under GET /api/jobs/:id', async () => {
    const jobs = createInProcessJobRunner();
    const ctx = context({ jobs });
    const base = await exampleRecords();
    const titles = Array.from({ length: 2_100 }, (_, i) => ({ ...base.titles[0]!, asin: `B1${String(i).padStart(8, '0')}`, series: [] }));
    const job = await expectOk(ctx, 'POST', '/api/import', { body: { records: { titles, series: [], progress: [] }, commit: true } }, 202);
    expect(job).toMatchObject({ kind: 'import', state: 'running' });
    await jobs.drain();
    const done = await expectOk(ctx, 'GET', `/api/jobs/${job.id}`);
    expect(done.state).toBe('succeeded');
    expect(done.result.summary.titles.created).toBe(2_100);
    expect(await ctx.storage.countTitles(ctx.ownerId)).toBe(2_100);
  });

  it('a route whose service the host did not wire answers config_missing (422)', async () => {
    const ctx = context();
    const response = await call(ctx, 'GET', '/api/audible/status');
    expect(response).toEqual({ status: 422, body: { error: { code: 'config_missing', message: expect.stringContaining('audibleSchedule'), location: 'audibleSchedule' } } });
  });

  it('refuses a sync the schedule does not allow with 429 and the reason', async () => {
    const ctx = context({
      services: { audibleSchedule: async () => ({ can_sync: false, reason: 'too_soon', next_allowed_sync: '2026-12-01T12:15:00.000Z', syncs_remaining_today: 10 }) },
    });
    const response = await call(ctx, 'POST', '/api/audible/sync');
    expect(response.status).toBe(429);
    expect((response.body as { error: { message: string } }).error.message).toContain('too_soon');
  });
});
