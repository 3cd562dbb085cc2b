import { SagaSyncError } from '@sagasync/core';
import * as z from 'zod';
import { createNotionGateway, type NotionConnectionOptions, type NotionGateway } from './notion-gateway.js';
import { normalisePageId, valueFromResponse, type PropertyValue, type PropertyValues } from '../plan/property-values.js';

/** The part of a page object SagaSync relies on. */
export const PageSchema = z.object({
  object: z.literal('page'),
  id: z.string(),
  created_time: z.string(),
  last_edited_time: z.string(),
  in_trash: z.boolean().optional(),
  archived: z.boolean().optional(),
  created_by: z.object({ id: z.string() }).partial().optional(),
  last_edited_by: z.object({ id: z.string() }).partial().optional(),
  properties: z.record(z.string(), z.unknown()),
});

const QueryResultSchema = z.object({
  results: z.array(z.unknown()),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
  request_status: z.object({ type: z.string() }).passthrough().optional(),
});

/** A page reduced to what the mirror compares: id, creation time and canonical property values. */
export interface MirroredPage {
  id: string;
  createdTime: string;
  lastEditedTime: string;
  createdBy: string | null;
  lastEditedBy: string | null;
  inTrash: boolean;
  values: PropertyValues;
}

function parsePage(raw: unknown, operation: string): MirroredPage {
  const parsed = PageSchema.safeParse(raw);
  if (!parsed.success) throw new SagaSyncError('remote_failure', `Notion ${operation}: unexpected page shape (${parsed.error.issues[0]?.message})`);
  const values: PropertyValues = {};
  for (const [name, prop] of Object.entries(parsed.data.properties)) {
    const v: PropertyValue | undefined = valueFromResponse(prop);
    if (v) values[name] = v;
  }
  return {
    id: normalisePageId(parsed.data.id),
    createdTime: parsed.data.created_time,
    lastEditedTime: parsed.data.last_edited_time,
    createdBy: parsed.data.created_by?.id ?? null,
    lastEditedBy: parsed.data.last_edited_by?.id ?? null,
    inTrash: parsed.data.in_trash ?? parsed.data.archived ?? false,
    values,
  };
}

/** Partial results (Notion's 10,000-row cap) would make missing rows look deleted; refuse them. */
function assertComplete(status: { type: string } | undefined): void {
  if (status && status.type !== 'complete') {
    throw new SagaSyncError('remote_failure', 'Notion returned an incomplete query result (over 10,000 rows); SagaSync cannot mirror a database that large safely');
  }
}

/** A query result: a full page, a partial page (id only), or something else (a data source). */
function rowKind(raw: unknown): 'page' | 'partial_page' | 'other' {
  if (typeof raw !== 'object' || raw === null) return 'other';
  const r = raw as { object?: unknown; id?: unknown; properties?: unknown };
  if (r.object !== 'page' || typeof r.id !== 'string') return 'other';
  return typeof r.properties === 'object' && r.properties !== null ? 'page' : 'partial_page';
}

export async function queryAll(gateway: NotionGateway, dataSourceId: string, filter?: Record<string, unknown>, onPage?: (n: number) => void): Promise<MirroredPage[]> {
  const out: MirroredPage[] = [];
  let cursor: string | undefined;
  do {
    const res = await gateway.call('query data source', 'read', (c) =>
      c.dataSources.query({ data_source_id: dataSourceId, page_size: 100, start_cursor: cursor, ...(filter ? { filter: filter as never } : {}) }),
    );
    const parsed = QueryResultSchema.parse(res);
    assertComplete(parsed.request_status);
    for (const r of parsed.results) {
      const row = rowKind(r);
      // A wiki's query also returns its child data sources (`object: "data_source"`): not rows SagaSync mirrors.
      if (row === 'other') continue;
      // A partial page (an id without properties) is read whole, so a mirrored page never looks gone.
      out.push(row === 'page' ? parsePage(r, 'query data source') : await retrievePage(gateway, (r as { id: string }).id));
    }
    onPage?.(out.length);
    cursor = parsed.has_more && parsed.next_cursor ? parsed.next_cursor : undefined;
  } while (cursor);
  return out;
}

/** Pages whose rich-text property equals `value` exactly: the lookup by ASIN or series key. */
export const findByText = (gateway: NotionGateway, dataSourceId: string, property: string, value: string) =>
  queryAll(gateway, dataSourceId, { property, rich_text: { equals: value } });

export async function createPage(gateway: NotionGateway, dataSourceId: string, values: PropertyValues): Promise<MirroredPage> {
  const res = await gateway.call('create page', 'create', (c) => c.pages.create({ parent: { data_source_id: dataSourceId }, properties: values as never }));
  return parsePage(res, 'create page');
}

/** Setting properties to known values is idempotent, so updates are retried freely. */
export async function updatePage(gateway: NotionGateway, pageId: string, values: PropertyValues): Promise<MirroredPage> {
  const res = await gateway.call('update page', 'idempotent', (c) => c.pages.update({ page_id: pageId, properties: values as never }));
  return parsePage(res, 'update page');
}

export async function retrievePage(gateway: NotionGateway, pageId: string): Promise<MirroredPage> {
  const res = await gateway.call('retrieve page', 'read', (c) => c.pages.retrieve({ page_id: pageId }));
  return parsePage(res, 'retrieve page');
}

export async function trashPage(gateway: NotionGateway, pageId: string): Promise<void> {
  await gateway.call('trash page', 'idempotent', (c) => c.pages.update({ page_id: pageId, in_trash: true }));
}

/** The integration's own user id: pages it created or last edited carry it. */
export async function botUserId(gateway: NotionGateway): Promise<string> {
  const res = await gateway.call('retrieve bot user', 'read', (c) => c.users.me({}));
  return z.object({ id: z.string() }).parse(res).id;
}

/** The integration's user id, for the webhook handler's own-write filter (`botUserId`). */
export async function getNotionBotUserId(options: NotionConnectionOptions): Promise<string> {
  return botUserId(createNotionGateway(options));
}
