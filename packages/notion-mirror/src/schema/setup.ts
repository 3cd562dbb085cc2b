import { SagaSyncError } from '@sagasync/core';
import * as z from 'zod';
import { AmbiguousCreateError, createNotionGateway, type NotionGateway } from '../client/notion-gateway.js';
import { parseNotionId } from '../client/notion-ids.js';
import type { NotionDeps } from '../context.js';
import { normalisePageId } from '../plan/property-values.js';
import { clearMirror } from '../state/mirror-records.js';
import { loadDatabases, saveDatabases, type NotionDatabases } from '../state/settings.js';
import { checkDatabases, DataSourceSchemaSchema, isBlocking, type DataSourceSchema, type SchemaIssue } from './check-databases.js';
import { BOOKS, BOOKS_PROPERTIES, propertyConfig, SERIES, SERIES_PROPERTIES } from './definitions.js';
import { describeDatabases, forgetStoredProperties, replacedProperties } from './schema-changes.js';

export type { NotionDeps };

const DatabaseSchema = z.object({ id: z.string(), data_sources: z.array(z.object({ id: z.string(), name: z.string().optional() })) });

const text = (content: string) => [{ type: 'text' as const, text: { content } }];

const BlockListSchema = z.object({
  results: z.array(z.object({ id: z.string(), type: z.string().optional(), child_database: z.object({ title: z.string() }).optional() }).passthrough()),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
});

/** The databases directly on a page: its `child_database` blocks (block id = database id), oldest first. */
async function listChildDatabases(gateway: NotionGateway, pageId: string): Promise<{ id: string; title: string }[]> {
  const out: { id: string; title: string }[] = [];
  let cursor: string | undefined;
  do {
    const res = BlockListSchema.parse(
      await gateway.call('list page children', 'read', (c) => c.blocks.children.list({ block_id: pageId, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) })),
    );
    for (const block of res.results) if (block.type === 'child_database' && block.child_database) out.push({ id: normalisePageId(block.id), title: block.child_database.title });
    cursor = res.has_more && res.next_cursor ? res.next_cursor : undefined;
  } while (cursor);
  return out;
}

const CREATE_ATTEMPTS = 4;

function idsOf(res: unknown, title: string): { databaseId: string; dataSourceId: string } {
  const db = DatabaseSchema.parse(res);
  const ds = db.data_sources[0];
  if (!ds) throw new SagaSyncError('remote_failure', `Notion database ${title} has no data source`);
  return { databaseId: normalisePageId(db.id), dataSourceId: normalisePageId(ds.id) };
}

/**
 * Creates a database under the page at most once. A create whose outcome is unknown (5xx, 504,
 * timeout, a connection dropped after the request went out) may have created it, so before trying
 * again the page's child databases are listed: one titled `title` that was not there before
 * (`existing`) is the lost create's, and is used instead of making a duplicate.
 */
async function createDatabase(gateway: NotionGateway, parentPageId: string, existing: ReadonlySet<string>, title: string, properties: Record<string, unknown>) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await gateway.call('create database', 'create', (c) =>
        c.databases.create({ parent: { type: 'page_id', page_id: parentPageId }, title: text(title), initial_data_source: { properties: properties as never } }),
      );
      return idsOf(res, title);
    } catch (error) {
      if (!(error instanceof AmbiguousCreateError) || attempt >= CREATE_ATTEMPTS) throw error;
      const made = (await listChildDatabases(gateway, parentPageId)).find((db) => db.title === title && !existing.has(db.id));
      if (made) return idsOf(await gateway.call('retrieve database', 'read', (c) => c.databases.retrieve({ database_id: made.id })), title);
    }
  }
}

export async function retrieveDataSource(gateway: NotionGateway, dataSourceId: string): Promise<DataSourceSchema> {
  return DataSourceSchemaSchema.parse(await gateway.call('retrieve data source', 'read', (c) => c.dataSources.retrieve({ data_source_id: dataSourceId })));
}

export interface SetupResult {
  databases: NotionDatabases;
}

/**
 * Creates the Series and Books databases under a page shared with the integration (Series first,
 * so Books' two-way Series relation can point at it; Notion adds the reverse "Books" property) and
 * stores their ids in the store's settings. Refuses to run twice unless `force`. `parentPageId`
 * may be the page's id (with or without dashes) or its Notion URL. A create whose answer is lost
 * is looked up among the page's databases before it is tried again, so no orphan is left behind.
 */
export async function setupNotion(deps: NotionDeps, options: { parentPageId: string; force?: boolean }): Promise<SetupResult> {
  const parentPageId = parseNotionId(options.parentPageId);
  if (!parentPageId) {
    throw new SagaSyncError('invalid_input', `"${options.parentPageId}" is not a Notion page id or page URL`, { details: { location: 'parentPageId' } });
  }
  const existing = await loadDatabases(deps.storage, deps.ownerId);
  if (existing && !options.force) {
    throw new SagaSyncError('already_exists', 'Notion databases are already set up for this store', {
      details: { reason: 'notion_already_set_up' },
    });
  }
  const gateway = createNotionGateway(deps.notion);
  // What is on the page already, so a database a lost create made can be told from an older one.
  const before = new Set((await listChildDatabases(gateway, parentPageId)).map((db) => db.id));
  const seriesProps = Object.fromEntries(SERIES_PROPERTIES.filter((p) => p.name !== SERIES.books).map((p) => [p.name, propertyConfig(p)]));
  const series = await createDatabase(gateway, parentPageId, before, 'Series', seriesProps);
  const booksProps = Object.fromEntries(
    BOOKS_PROPERTIES.map((p) => [
      p.name,
      p.name === BOOKS.series ? { relation: { data_source_id: series.dataSourceId, type: 'dual_property', dual_property: { synced_property_name: SERIES.books } } } : propertyConfig(p),
    ]),
  );
  const books = await createDatabase(gateway, parentPageId, before, 'Books', booksProps);
  const [booksDs, seriesDs] = [await retrieveDataSource(gateway, books.dataSourceId), await retrieveDataSource(gateway, series.dataSourceId)];
  const databases = describeDatabases({ books, series }, booksDs, seriesDs);
  if (existing) await clearMirror(deps.storage, deps.ownerId);
  await saveDatabases(deps.storage, deps.ownerId, databases);
  return { databases };
}

export interface CheckOptions {
  /** Database ids to check (NOTION_BOOKS_DB_ID / NOTION_SERIES_DB_ID); default the stored ones. */
  databaseIds?: { books: string; series: string };
  /** Store the ids when they pass (so later commands need no env). Default true. */
  save?: boolean;
  /** Add missing properties (never changes or removes existing ones). */
  repair?: boolean;
}

export interface CheckResult {
  ok: boolean;
  issues: SchemaIssue[];
  /** Properties `repair` added. */
  added: string[];
  databases: NotionDatabases;
}

async function resolveDataSource(gateway: NotionGateway, databaseId: string): Promise<{ databaseId: string; dataSourceId: string }> {
  const db = DatabaseSchema.parse(await gateway.call('retrieve database', 'read', (c) => c.databases.retrieve({ database_id: databaseId })));
  if (db.data_sources.length !== 1) {
    throw new SagaSyncError('invalid_input', `Notion database ${databaseId} has ${db.data_sources.length} data sources; SagaSync needs exactly one`, { details: { location: databaseId } });
  }
  return { databaseId: normalisePageId(db.id), dataSourceId: normalisePageId(db.data_sources[0]!.id) };
}

/**
 * Validates an existing pair of databases and says exactly which property is missing or has the
 * wrong type. With `repair`, adds the missing ones first.
 */
export async function checkNotion(deps: NotionDeps, options: CheckOptions = {}): Promise<CheckResult> {
  const stored = await loadDatabases(deps.storage, deps.ownerId);
  const ids = options.databaseIds ?? (stored ? { books: stored.books.databaseId, series: stored.series.databaseId } : null);
  if (!ids) {
    throw new SagaSyncError('config_missing', 'No Notion databases to check', {
      details: { reason: 'notion_not_configured' },
    });
  }
  const gateway = createNotionGateway(deps.notion);
  const books = await resolveDataSource(gateway, ids.books);
  const series = await resolveDataSource(gateway, ids.series);
  let booksDs = await retrieveDataSource(gateway, books.dataSourceId);
  let seriesDs = await retrieveDataSource(gateway, series.dataSourceId);
  let issues = checkDatabases(booksDs, seriesDs);
  const added: string[] = [];
  if (options.repair && issues.some((i) => i.problem === 'missing')) {
    const missing = (table: 'books' | 'series') => issues.filter((i) => i.table === table && i.problem === 'missing').map((i) => i.property);
    const booksMissing = missing('books');
    // The reverse relation appears by itself once Books has its dual Series relation.
    const seriesMissing = missing('series').filter((p) => !(p === SERIES.books && booksMissing.includes(BOOKS.series)));
    if (booksMissing.length > 0) {
      const props = Object.fromEntries(
        booksMissing.map((name) => [
          name,
          name === BOOKS.series
            ? { relation: { data_source_id: series.dataSourceId, type: 'dual_property', dual_property: { synced_property_name: SERIES.books } } }
            : propertyConfig(BOOKS_PROPERTIES.find((p) => p.name === name)!),
        ]),
      );
      await gateway.call('update data source', 'idempotent', (c) => c.dataSources.update({ data_source_id: books.dataSourceId, properties: props as never }));
      added.push(...booksMissing.map((p) => `Books.${p}`));
    }
    const simpleSeries = seriesMissing.filter((p) => p !== SERIES.books);
    if (simpleSeries.length > 0) {
      const props = Object.fromEntries(simpleSeries.map((name) => [name, propertyConfig(SERIES_PROPERTIES.find((p) => p.name === name)!)]));
      await gateway.call('update data source', 'idempotent', (c) => c.dataSources.update({ data_source_id: series.dataSourceId, properties: props as never }));
      added.push(...simpleSeries.map((p) => `Series.${p}`));
    }
    booksDs = await retrieveDataSource(gateway, books.dataSourceId);
    seriesDs = await retrieveDataSource(gateway, series.dataSourceId);
    issues = checkDatabases(booksDs, seriesDs);
  }
  const databases = describeDatabases({ books, series }, booksDs, seriesDs);
  const ok = !issues.some(isBlocking);
  if (ok && options.save !== false) {
    const changed = !stored || stored.books.dataSourceId !== books.dataSourceId || stored.series.dataSourceId !== series.dataSourceId;
    if (changed) await clearMirror(deps.storage, deps.ownerId);
    // A property deleted and added again (here by `repair`) is empty on every page: the next push writes it.
    else await forgetStoredProperties(deps, replacedProperties(stored, databases));
    await saveDatabases(deps.storage, deps.ownerId, databases);
  }
  return { ok, issues, added, databases };
}
