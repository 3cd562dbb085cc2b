import { setupNotion } from '@sagasync/notion-mirror';
import { startFakeNotion, type FakeNotion } from '@sagasync/fake-notion';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotionServices } from '../src/index.js';
import { context, exampleRecords, expectOk } from './helpers.js';

describe('Notion routes with the Notion services', () => {
  let fake: FakeNotion | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('pushes the library as a job and reports what is mirrored; a second push changes nothing', async () => {
    fake = await startFakeNotion();
    const connection = { token: fake.token, baseUrl: fake.url, requestsPerSecond: 1000 };
    const ctx = context({ services: createNotionServices(connection) });
    expect(await expectOk(ctx, 'GET', '/api/notion/status')).toEqual({ configured: false, databases: null, mirrored: { books: 0, series: 0 } });

    await expectOk(ctx, 'POST', '/api/import', { body: { records: await exampleRecords(), commit: true } });
    await setupNotion({ ...ctx, notion: connection }, { parentPageId: fake.state.addParentPage() });
    const job = await expectOk(ctx, 'POST', '/api/notion/push', { body: {} }, 202);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ done: true, dryRun: false });
    const status = await expectOk(ctx, 'GET', '/api/notion/status');
    expect(status.configured).toBe(true);
    expect(status.mirrored.books).toBe(await ctx.storage.countTitles(ctx.ownerId));
    expect(status.mirrored.series).toBeGreaterThan(0);

    const again = await expectOk(ctx, 'POST', '/api/notion/push', { body: {} }, 202);
    expect(again.result.books).toMatchObject({ created: 0, updated: 0 });
  });
});
