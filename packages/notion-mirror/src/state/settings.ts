import { SagaSyncError, type StoragePort } from '@sagasync/core';
import * as z from 'zod';

/**
 * Settings keys under which the mirror keeps its small state in the store. Mirrored pages are
 * not settings: each is one mirror record (see `mirror-records.ts`). `books` and `series` name the
 * whole-table settings of earlier versions, read once to migrate them into records.
 */
export const SETTINGS_KEYS = {
  databases: 'notion.databases',
  /** @deprecated Earlier versions' whole-table state; migrated into mirror records, then deleted. */
  books: 'notion.mirror.books',
  /** @deprecated As `books`. */
  series: 'notion.mirror.series',
  pull: 'notion.pull',
  /** Where a push that stopped early stands, so its cursor can be checked. */
  push: 'notion.push',
} as const;

const TableIdsSchema = z.object({ databaseId: z.string().min(1), dataSourceId: z.string().min(1) });
export const NotionDatabasesSchema = z.object({
  books: TableIdsSchema,
  series: TableIdsSchema,
  /** Property ids by name per table, read at setup / check; webhooks name properties by id. */
  propertyIds: z.object({ books: z.record(z.string(), z.string()), series: z.record(z.string(), z.string()) }).optional(),
  /**
   * Properties that are Notion's native `status` type in the user's databases (SagaSync's own
   * setup makes selects), read at setup / check / push: their values are written as `{ status }`.
   */
  statusProperties: z.object({ books: z.array(z.string()), series: z.array(z.string()) }).optional(),
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

/** Entries by key: the in-memory form of one table's mirror records (and the old settings' shape). */
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

/** The push run a cursor may continue: `stopped` at `seq` (the cursor is good), or `running`. */
export const PushMarkerSchema = z.object({ runId: z.string().min(1), seq: z.number().int().nonnegative(), state: z.enum(['running', 'stopped']) });
export type PushMarker = z.infer<typeof PushMarkerSchema>;

export function parseSetting<T>(schema: z.ZodType<T>, value: unknown, key: string): T {
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
      details: { reason: 'notion_not_configured' },
    });
  }
  return dbs;
}

export async function saveDatabases(storage: StoragePort, ownerId: string, dbs: NotionDatabases): Promise<void> {
  await storage.applyBatch(ownerId, [{ op: 'putSetting', key: SETTINGS_KEYS.databases, value: dbs }]);
}

export async function loadPullState(storage: StoragePort, ownerId: string): Promise<PullState> {
  const raw = await storage.getSetting(ownerId, SETTINGS_KEYS.pull);
  return raw == null ? { lastPulledAt: null } : parseSetting(PullStateSchema, raw, SETTINGS_KEYS.pull);
}

/** The stored push marker; a malformed one counts as none (the next push scans). */
export async function loadPushMarker(storage: StoragePort, ownerId: string): Promise<PushMarker | null> {
  const parsed = PushMarkerSchema.safeParse(await storage.getSetting(ownerId, SETTINGS_KEYS.push));
  return parsed.success ? parsed.data : null;
}
