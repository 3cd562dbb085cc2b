import { SagaSyncError, type StoragePort } from '@sagasync/core';
import * as z from 'zod';

/** Settings keys under which the mirror keeps its state in the store. */
export const SETTINGS_KEYS = {
  databases: 'notion.databases',
  books: 'notion.mirror.books',
  series: 'notion.mirror.series',
  pull: 'notion.pull',
} as const;

const TableIdsSchema = z.object({ databaseId: z.string().min(1), dataSourceId: z.string().min(1) });
export const NotionDatabasesSchema = z.object({
  books: TableIdsSchema,
  series: TableIdsSchema,
  /** Property ids by name per table, read at setup / check; webhooks name properties by id. */
  propertyIds: z.object({ books: z.record(z.string(), z.string()), series: z.record(z.string(), z.string()) }).optional(),
});
export type NotionDatabases = z.infer<typeof NotionDatabasesSchema>;

/** One mirrored page: its id and a hash of each property value SagaSync last wrote or saw there. */
export const MirrorEntrySchema = z.object({
  pageId: z.string().min(1),
  /** `created` by SagaSync, or `adopted` from the user's own tracker (reset leaves those alone). */
  origin: z.enum(['created', 'adopted']),
  /** A synthetic volume (not owned) when the page was last written. */
  synthetic: z.boolean().default(false),
  hashes: z.record(z.string(), z.string()),
});
export type MirrorEntry = z.infer<typeof MirrorEntrySchema>;

export const MirrorTableSchema = z.record(z.string(), MirrorEntrySchema);
export type MirrorTable = z.infer<typeof MirrorTableSchema>;

export interface MirrorState {
  /** Keyed by ASIN. */
  books: MirrorTable;
  /** Keyed by series key. */
  series: MirrorTable;
}

export const PullStateSchema = z.object({ lastPulledAt: z.string().nullable() });
export type PullState = z.infer<typeof PullStateSchema>;

function parseSetting<T>(schema: z.ZodType<T>, value: unknown, key: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SagaSyncError('invalid_input', `stored setting ${key} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { details: { location: key } });
  }
  return parsed.data;
}

export async function loadDatabases(storage: StoragePort, ownerId: string): Promise<NotionDatabases | null> {
  const raw = await storage.getSetting(ownerId, SETTINGS_KEYS.databases);
  return raw === null || raw === undefined ? null : parseSetting(NotionDatabasesSchema, raw, SETTINGS_KEYS.databases);
}

export async function requireDatabases(storage: StoragePort, ownerId: string): Promise<NotionDatabases> {
  const dbs = await loadDatabases(storage, ownerId);
  if (!dbs) {
    throw new SagaSyncError('config_missing', 'No Notion databases configured', {
      details: { hint: 'run `sagasync notion setup --parent <page-id>`, or set NOTION_BOOKS_DB_ID and NOTION_SERIES_DB_ID and run `sagasync notion check`' },
    });
  }
  return dbs;
}

export async function saveDatabases(storage: StoragePort, ownerId: string, dbs: NotionDatabases): Promise<void> {
  await storage.applyBatch(ownerId, [{ op: 'putSetting', key: SETTINGS_KEYS.databases, value: dbs }]);
}

export async function loadMirror(storage: StoragePort, ownerId: string): Promise<MirrorState> {
  const [books, series] = await Promise.all([storage.getSetting(ownerId, SETTINGS_KEYS.books), storage.getSetting(ownerId, SETTINGS_KEYS.series)]);
  return {
    books: books == null ? {} : parseSetting(MirrorTableSchema, books, SETTINGS_KEYS.books),
    series: series == null ? {} : parseSetting(MirrorTableSchema, series, SETTINGS_KEYS.series),
  };
}

/** Writes both tables in one batch, so a crash never leaves them out of step. */
export async function saveMirror(storage: StoragePort, ownerId: string, mirror: MirrorState): Promise<void> {
  await storage.applyBatch(ownerId, [
    { op: 'putSetting', key: SETTINGS_KEYS.books, value: mirror.books },
    { op: 'putSetting', key: SETTINGS_KEYS.series, value: mirror.series },
  ]);
}

/** Forgets every mirrored page (after the databases change). */
export async function clearMirror(storage: StoragePort, ownerId: string): Promise<void> {
  await storage.applyBatch(ownerId, [
    { op: 'deleteSetting', key: SETTINGS_KEYS.books },
    { op: 'deleteSetting', key: SETTINGS_KEYS.series },
    { op: 'deleteSetting', key: SETTINGS_KEYS.pull },
  ]);
}

export async function loadPullState(storage: StoragePort, ownerId: string): Promise<PullState> {
  const raw = await storage.getSetting(ownerId, SETTINGS_KEYS.pull);
  return raw == null ? { lastPulledAt: null } : parseSetting(PullStateSchema, raw, SETTINGS_KEYS.pull);
}
