import { APIResponseError, Client, UnknownHTTPResponseError } from '@notionhq/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeNotion, type FakeNotion, type FakeNotionOptions } from './index.js';

let fake: FakeNotion | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeNotionOptions = {}) {
  fake = await startFakeNotion(options);
  const client = new Client({ auth: fake.token, baseUrl: fake.url, notionVersion: '2025-09-03', retry: false, logLevel: undefined, logger: () => {} });
  const parent = fake.state.addParentPage();
  const series = await client.databases.create({
    parent: { type: 'page_id', page_id: parent },
    title: [{ text: { content: 'Series' } }],
    initial_data_source: { properties: { Name: { title: {} }, Key: { rich_text: {} } } },
  });
  const seriesDs = (series as { data_sources: { id: string }[] }).data_sources[0]!.id;
  const books = await client.databases.create({
    parent: { type: 'page_id', page_id: parent },
    title: [{ text: { content: 'Books' } }],
    initial_data_source: {
      properties: {
        Title: { title: {} },
        ASIN: { rich_text: {} },
        Position: { number: { format: 'number' } },
        Owned: { checkbox: {} },
        Status: { select: { options: [{ name: 'Not started' }, { name: 'Finished' }] } },
        Cover: { files: {} },
        Series: { relation: { data_source_id: seriesDs, type: 'dual_property', dual_property: { synced_property_name: 'Books' } } },
      },
    },
  });
  const booksDs = (books as { data_sources: { id: string }[] }).data_sources[0]!.id;
  return { fake, client, seriesDs, booksDs };
}

const text = (content: string) => [{ text: { content } }];

describe('fake-notion with the real SDK', () => {
  it('creates databases whose dual relation adds the reverse property on the target', async () => {
    const { client, seriesDs, booksDs } = await setup();
    const series = await client.dataSources.retrieve({ data_source_id: seriesDs });
    const books = await client.dataSources.retrieve({ data_source_id: booksDs });
    expect(Object.keys(series.properties).sort()).toEqual(['Books', 'Key', 'Name']);
    const rel = books.properties.Series as unknown as { type: string; relation: { data_source_id: string; dual_property: { synced_property_name: string; synced_property_id: string } } };
    expect(rel.type).toBe('relation');
    expect(rel.relation.data_source_id).toBe(seriesDs);
    expect(rel.relation.dual_property.synced_property_name).toBe('Books');
    expect(rel.relation.dual_property.synced_property_id).toBe((series.properties.Books as { id: string }).id);
  });

  it('stores pages, mirrors relations both ways and filters and pages through queries', async () => {
    const { client, seriesDs, booksDs, fake } = await setup();
    const s = await client.pages.create({ parent: { data_source_id: seriesDs }, properties: { Name: { title: text('Dune') } } });
    for (let i = 1; i <= 5; i++) {
      await client.pages.create({
        parent: { data_source_id: booksDs },
        properties: { Title: { title: text(`Book ${i}`) }, ASIN: { rich_text: text(`B00000000${i}`) }, Position: { number: i }, Series: { relation: [{ id: s.id }] } },
      });
    }
    const seriesPage = fake.state.getPage(s.id);
    expect((fake.state.plainValues(seriesPage).Books as string[]).length).toBe(5);
    // Notion rounds a page's times down to the minute.
    const created = (await client.pages.retrieve({ page_id: s.id })) as { created_time: string; last_edited_time: string };
    expect(created.created_time).toMatch(/:00\.000Z$/);
    expect(created.last_edited_time).toMatch(/:00\.000Z$/);

    const found = await client.dataSources.query({ data_source_id: booksDs, filter: { property: 'ASIN', rich_text: { equals: 'B000000003' } } });
    expect(found.results).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const page = await client.dataSources.query({ data_source_id: booksDs, page_size: 2, start_cursor: cursor });
      calls++;
      for (const r of page.results) seen.push(fake.state.plainValues(fake.state.getPage(r.id)).Title as string);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(calls).toBe(3);
    expect(seen).toEqual(['Book 1', 'Book 2', 'Book 3', 'Book 4', 'Book 5']);

    const compound = await client.dataSources.query({
      data_source_id: booksDs,
      filter: { and: [{ property: 'Position', number: { greater_than: 2 } }, { or: [{ property: 'Title', title: { ends_with: '4' } }, { property: 'Title', title: { ends_with: '5' } }] }] },
    });
    expect(compound.results).toHaveLength(2);
  });

  it('hides trashed pages from queries unless in_trash is asked for', async () => {
    const { client, booksDs } = await setup();
    const p = await client.pages.create({ parent: { data_source_id: booksDs }, properties: { Title: { title: text('Gone') } } });
    await client.pages.update({ page_id: p.id, in_trash: true });
    expect((await client.dataSources.query({ data_source_id: booksDs })).results).toHaveLength(0);
    expect((await client.dataSources.query({ data_source_id: booksDs, in_trash: true })).results).toHaveLength(1);
    const again = await client.pages.retrieve({ page_id: p.id });
    expect((again as { in_trash: boolean }).in_trash).toBe(true);
  });

  it('rejects payloads the way Notion does', async () => {
    const { client, booksDs } = await setup();
    const attempt = async (properties: Record<string, unknown>) => {
      try {
        await client.pages.create({ parent: { data_source_id: booksDs }, properties: properties as never });
        return null;
      } catch (e) {
        expect(e).toBeInstanceOf(APIResponseError);
        return { code: (e as APIResponseError).code, status: (e as APIResponseError).status, message: (e as Error).message };
      }
    };
    expect(await attempt({ Title: { title: text('x') }, Nope: { rich_text: [] } })).toMatchObject({ status: 400, code: 'validation_error', message: 'Nope is not a property that exists.' });
    expect(await attempt({ Title: { title: text('x') }, ASIN: { number: 3 } })).toMatchObject({ code: 'validation_error', message: 'ASIN is expected to be rich_text.' });
    expect((await attempt({ Title: { title: text('x'.repeat(2001)) } }))?.message).toMatch(/length should be ≤ `2000`/);
    expect((await attempt({ Title: { title: text('x') }, Status: { select: { name: 'A, B' } } }))?.message).toMatch(/commas not allowed/);
    expect((await attempt({ Title: { title: text('x') }, Cover: { files: [{ external: { url: 'https://x/y.jpg' } }] } }))?.message).toMatch(/name should be defined/);
    expect((await attempt({ ASIN: { rich_text: text('B000000001') } }))?.message).toMatch(/title/);
    expect((await attempt({ Title: { title: text('x') }, Series: { relation: [{ id: '00000000-0000-0000-0000-000000000000' }] } }))?.code).toBe('validation_error');
    await expect(client.dataSources.query({ data_source_id: booksDs, page_size: 101 })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(client.pages.retrieve({ page_id: '11111111111111111111111111111111' })).rejects.toMatchObject({ code: 'object_not_found', status: 404 });
  });

  it('requires the bearer token and the Notion-Version header', async () => {
    const { fake } = await setup();
    const wrong = new Client({ auth: 'nope', baseUrl: fake.url, retry: false, logger: () => {} });
    await expect(wrong.users.me({})).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    const raw = await fetch(`${fake.url}/v1/users/me`, { headers: { authorization: `Bearer ${fake.token}` } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ object: 'error', code: 'missing_version' });
  });

  it('injects 429 with Retry-After, JSON 5xx, HTML 502, 409 and writes applied behind a 5xx', async () => {
    const { client, booksDs, fake } = await setup();
    fake.injectFault({ kind: 'rate_limited', retryAfterSeconds: 7 });
    const limited = await client.users.me({}).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(APIResponseError);
    expect((limited as APIResponseError).code).toBe('rate_limited');
    expect((limited as APIResponseError).headers as Headers).toBeDefined();
    expect(((limited as APIResponseError).headers as Headers).get('retry-after')).toBe('7');

    fake.injectFault({ kind: 'bad_gateway_html' });
    const html = await client.users.me({}).catch((e: unknown) => e);
    expect(html).toBeInstanceOf(UnknownHTTPResponseError);
    expect((html as UnknownHTTPResponseError).status).toBe(502);

    for (const [kind, status] of [['internal_server_error', 500], ['service_unavailable', 503], ['gateway_timeout', 504], ['conflict', 409]] as const) {
      fake.injectFault({ kind });
      await expect(client.users.me({})).rejects.toMatchObject({ status });
    }

    fake.injectFault({ kind: 'applied_then_500', route: 'POST /v1/pages' });
    await expect(client.pages.create({ parent: { data_source_id: booksDs }, properties: { Title: { title: text('Lost answer') } } })).rejects.toMatchObject({ status: 500 });
    expect(fake.state.listPages(booksDs)).toHaveLength(1);
    expect(fake.stats.faults).toMatchObject({ rate_limited: 1, bad_gateway_html: 1, applied_then_500: 1, conflict: 1 });
  });

  it('rate-limits with a token bucket and counts the 429s it sends', async () => {
    fake = await startFakeNotion({ requestsPerSecond: 5, burst: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${fake!.url}/v1/users/me`, { headers: { authorization: `Bearer ${fake!.token}`, 'notion-version': '2025-09-03' } });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 429).length).toBe(fake.stats.rateLimited);
    expect(fake!.stats.rateLimited).toBeGreaterThan(0);
  });

  it('draws random faults reproducibly from the seed', async () => {
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const f = await startFakeNotion({ seed: 42, faults: { rate: 0.5, kinds: ['internal_server_error', 'conflict'] } });
      const c = new Client({ auth: f.token, baseUrl: f.url, retry: false, logger: () => {} });
      const out: string[] = [];
      for (let j = 0; j < 20; j++) out.push(await c.users.me({}).then(() => 'ok', (e: { status: number }) => String(e.status)));
      runs.push(out);
      await f.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]!.filter((s) => s !== 'ok').length).toBeGreaterThan(3);
  });

  it('changes a schema: adds, renames and removes properties, replaces select options, keeps values by property id', async () => {
    const { client, booksDs, fake } = await setup();
    const page = await client.pages.create({ parent: { data_source_id: booksDs }, properties: { Title: { title: text('x') }, ASIN: { rich_text: text('B000000009') } } });
    await client.dataSources.update({
      data_source_id: booksDs,
      properties: { ASIN: { name: 'Product id' }, Cover: null, Rating: { number: {} }, Status: { select: { options: [{ name: 'Done', color: 'green' }] } } } as never,
    });
    const ds = await client.dataSources.retrieve({ data_source_id: booksDs });
    expect(Object.keys(ds.properties)).toEqual(expect.arrayContaining(['Product id', 'Rating']));
    expect(ds.properties).not.toHaveProperty('Cover');
    expect((ds.properties.Status as unknown as { select: { options: { name: string }[] } }).select.options.map((o) => o.name)).toEqual(['Done']);
    expect(fake.state.plainValues(fake.state.getPage(page.id))['Product id']).toBe('B000000009');
    await expect(client.dataSources.update({ data_source_id: booksDs, properties: { Title: null } as never })).rejects.toMatchObject({ code: 'validation_error' });
  });
});


describe('fake-notion models what the real API returns', () => {
  it('holds native status properties: options in groups, {id,name,color} values, and no unknown names', async () => {
    const { client, fake } = await setup();
    const parent = fake.state.addParentPage();
    const db = (await client.databases.create({
      parent: { type: 'page_id', page_id: parent },
      title: [{ text: { content: 'My books' } }],
      initial_data_source: { properties: { Name: { title: {} }, Status: { status: {} } } as never },
    })) as { data_sources: { id: string }[] };
    const ds = db.data_sources[0]!.id;
    const schema = await client.dataSources.retrieve({ data_source_id: ds });
    const status = schema.properties.Status as unknown as { type: string; status: { options: { id: string; name: string; color: string }[]; groups: { name: string; option_ids: string[] }[] } };
    expect(status.type).toBe('status');
    // Notion's default status property: three options, each in one of the three groups.
    expect(status.status.options.map((o) => o.name)).toEqual(['Not started', 'In progress', 'Done']);
    expect(status.status.groups.map((g) => g.name)).toEqual(['To-do', 'In progress', 'Complete']);
    expect(status.status.groups.map((g) => g.option_ids)).toEqual(status.status.options.map((o) => [o.id]));

    const page = await client.pages.create({ parent: { data_source_id: ds }, properties: { Name: { title: text('Dune') }, Status: { status: { name: 'In progress' } } } });
    const value = (page as unknown as { properties: Record<string, unknown> }).properties.Status;
    expect(value).toEqual({ id: expect.any(String), type: 'status', status: { id: status.status.options[1]!.id, name: 'In progress', color: 'blue' } });
    const refused = await client.pages.update({ page_id: page.id, properties: { Status: { status: { name: 'Finished' } } } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(APIResponseError);
    expect(refused).toMatchObject({ status: 400, code: 'validation_error' });
    expect((refused as Error).message).toContain('Finished');
    // A select-shaped value for a status property is refused too.
    await expect(client.pages.update({ page_id: page.id, properties: { Status: { select: { name: 'Done' } } } })).rejects.toMatchObject({ code: 'validation_error' });
    // Options of a status property cannot be changed through the API.
    await expect(client.dataSources.update({ data_source_id: ds, properties: { Status: { status: { options: [{ name: 'Finished' }] } } } as never })).rejects.toMatchObject({ code: 'validation_error' });
    const found = await client.dataSources.query({ data_source_id: ds, filter: { property: 'Status', status: { equals: 'In progress' } } });
    expect(found.results.map((r) => r.id)).toEqual([page.id]);
  });

  it('echoes date-times with milliseconds and an offset (UTC as +00:00) and leaves dates alone', async () => {
    const { client, booksDs } = await setup();
    await client.dataSources.update({ data_source_id: booksDs, properties: { Started: { date: {} } } as never });
    const write = async (start: string) => {
      const page = await client.pages.create({ parent: { data_source_id: booksDs }, properties: { Title: { title: text('x') }, Started: { date: { start } } } as never });
      return ((page as unknown as { properties: { Started: { date: { start: string } } } }).properties.Started.date.start);
    };
    expect(await write('2026-08-15T10:30:00.000Z')).toBe('2026-08-15T10:30:00.000+00:00');
    expect(await write('2026-08-15T10:30:00Z')).toBe('2026-08-15T10:30:00.000+00:00');
    expect(await write('2026-08-15T12:30:00.000+02:00')).toBe('2026-08-15T12:30:00.000+02:00');
    expect(await write('2026-08-15')).toBe('2026-08-15');
  });

  it('returns data sources among a query’s results (a wiki’s child databases) unless result_type is page', async () => {
    const { client, booksDs, fake } = await setup();
    await client.pages.create({ parent: { data_source_id: booksDs }, properties: { Title: { title: text('A page') } } });
    const child = fake.state.addDataSourceRow(booksDs, 'Reading notes');
    const all = await client.dataSources.query({ data_source_id: booksDs });
    expect(all.results.map((r) => r.object)).toEqual(['page', 'data_source']);
    expect(all.results[1]).toMatchObject({ object: 'data_source', id: child, title: [{ plain_text: 'Reading notes' }] });
    expect((await client.dataSources.query({ data_source_id: booksDs, result_type: 'page' } as never)).results.map((r) => r.object)).toEqual(['page']);
    expect((await client.dataSources.query({ data_source_id: booksDs, result_type: 'data_source' } as never)).results.map((r) => r.id)).toEqual([child]);
    // A property filter matches pages only; a data source has no such value.
    expect((await client.dataSources.query({ data_source_id: booksDs, filter: { property: 'Title', title: { equals: 'A page' } } })).results.map((r) => r.object)).toEqual(['page']);
    expect(fake.state.listPages(booksDs)).toHaveLength(1);
  });

  it('lists a page’s child databases as child_database blocks', async () => {
    const { client, fake } = await setup();
    const parent = [...fake.state.parentPages.keys()][0]!;
    const children = await client.blocks.children.list({ block_id: parent, page_size: 1 });
    expect(children.results).toHaveLength(1);
    expect(children.results[0]).toMatchObject({ object: 'block', type: 'child_database', child_database: { title: 'Series' }, created_by: { id: fake.state.botUserId } });
    const rest = await client.blocks.children.list({ block_id: parent, start_cursor: children.next_cursor! });
    expect(rest.results.map((b) => (b as { child_database: { title: string } }).child_database.title)).toEqual(['Books']);
    expect(rest.has_more).toBe(false);
    const db = await client.databases.retrieve({ database_id: children.results[0]!.id });
    expect(db.id).toBe(children.results[0]!.id);
  });

  it('drops the connection on request, after applying the write for applied_then_reset', async () => {
    const { client, booksDs, fake } = await setup();
    fake.injectFault({ kind: 'applied_then_reset', route: 'POST /v1/pages' });
    const dropped = await client.pages.create({ parent: { data_source_id: booksDs }, properties: { Title: { title: text('Sent') } } }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    expect(fake.state.listPages(booksDs)).toHaveLength(1);
    fake.injectFault({ kind: 'connection_reset' });
    await expect(client.users.me({})).rejects.toBeInstanceOf(TypeError);
    expect(fake.stats.faults).toMatchObject({ applied_then_reset: 1, connection_reset: 1 });
  });
});
