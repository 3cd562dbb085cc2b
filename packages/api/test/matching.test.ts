import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchService } from '../src/index.js';
import { call, context, exampleRecords, expectOk } from './helpers.js';

const goodreads = readFileSync(fileURLToPath(new URL('../../../examples/goodreads_library_export.csv', import.meta.url)), 'utf8');

describe('matching routes', () => {
  it('matches a tracker export as a job, then lists conflicts, links and unlinks by hand', async () => {
    const ctx = context({ services: { match: matchService } });
    await expectOk(ctx, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    const job = await expectOk(ctx, 'POST', '/api/match', { body: { text: goodreads, commit: true } }, 202);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result.links.length).toBeGreaterThan(0);
    expect((await expectOk(ctx, 'GET', `/api/jobs/${job.id}`)).result).toEqual(job.result);

    const link = job.result.links[0] as { asin: string; trackerId: string };
    const conflicts = await expectOk(ctx, 'GET', '/api/conflicts', { query: { status: 'all' } });
    expect(Array.isArray(conflicts.items)).toBe(true);

    const removed = await expectOk(ctx, 'DELETE', `/api/links/${link.asin}`, { query: { source: 'goodreads' } });
    expect(removed.removed).toEqual([{ asin: link.asin, trackerId: link.trackerId, source: 'goodreads' }]);
    const relinked = await expectOk(ctx, 'POST', '/api/links', { body: { asin: link.asin.toLowerCase(), trackerId: link.trackerId, source: 'goodreads' } });
    expect(relinked).toMatchObject({ asin: link.asin, trackerId: link.trackerId, method: 'manual', replaced: null });
  });

  it('an unreadable export fails the job with invalid_input, and nothing is stored', async () => {
    const ctx = context({ services: { match: matchService } });
    const job = await expectOk(ctx, 'POST', '/api/match', { body: { text: 'not,a\ntracker,export\n', commit: true } }, 202);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'invalid_input' } });
    expect((await ctx.storage.listTrackerBooks(ctx.ownerId)).items).toEqual([]);
  });

  it('resolving an unknown conflict is 404; a body with both link and none is 400', async () => {
    const ctx = context();
    expect((await call(ctx, 'POST', '/api/conflicts/nope/resolve', { body: { none: true } })).status).toBe(404);
    expect((await call(ctx, 'POST', '/api/conflicts/nope/resolve', { body: { none: true, link: 'B0DEMO0001' } })).status).toBe(400);
  });
});
