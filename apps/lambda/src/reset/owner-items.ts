import { applyInChunks, nowOf, SERIES_STATUS_KIND, statusInvalidations, type BatchOperation, type Page, type UseCaseContext } from '@sagasync/core';
import type { OwnerPartitions } from './dynamo-partitions.js';
import { DELETED_KINDS, isResetSetting, type DeletedKind, type OwnerInventory } from './plan-reset.js';

/** Records read per page: a page is deleted before the next is read, so memory stays flat. */
const PAGE = 500;
/** Titles whose baselines are read at once (the port lists them per title). */
const PARALLEL_READS = 16;

type List<T> = (cursor: string | null) => Promise<Page<T>>;

async function countAll<T>(list: List<T>, where: (item: T) => boolean = () => true): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list(cursor);
    for (const item of page.items) if (where(item)) count += 1;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return count;
}

async function forEachPage<T>(list: List<T>, each: (items: T[]) => Promise<void>): Promise<void> {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list(cursor);
    if (page.items.length > 0) await each(page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/** What is stored for the owner: what a reset would delete and what it keeps. Reads only. */
export async function readInventory(ctx: UseCaseContext, partitions: OwnerPartitions): Promise<OwnerInventory> {
  const { storage, ownerId } = ctx;
  const now = nowOf(ctx);
  const settings: string[] = [];
  await forEachPage(
    (cursor) => storage.listSettings(ownerId, { limit: PAGE, cursor }),
    async (items) => void settings.push(...items.map((s) => s.key)),
  );
  const [titles, series, progress, history, seriesAliases, links, trackerBooks, conflicts, mirrorRecords, statusCache, credentials, decisions, syncRuns] = await Promise.all([
    storage.countTitles(ownerId),
    countAll((cursor) => storage.listSeries(ownerId, { limit: PAGE, cursor })),
    partitions.count(ownerId, 'progress'),
    partitions.count(ownerId, 'history'),
    countAll((cursor) => storage.listSeriesAliases(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listLinks(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listTrackerBooks(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listConflicts(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listMirrorRecords(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listExpiring(ownerId, SERIES_STATUS_KIND, now, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listCredentialNames(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listDecisions(ownerId, { limit: PAGE, cursor })),
    countAll((cursor) => storage.listSyncRuns(ownerId, { limit: PAGE, cursor })),
  ]);
  return {
    deletes: {
      mirrorState: settings.filter(isResetSetting).length,
      statusCache,
      seriesAliases,
      links,
      trackerBooks,
      conflicts,
      mirrorRecords,
      series,
      // The port lists baselines per title only: counted as they are deleted.
      baselines: null,
      history,
      progress,
      titles,
    },
    keeps: { settings: settings.filter((key) => !isResetSetting(key)), credentials, decisions, syncRuns },
  };
}

export type EmptyProgress = (progress: { kind: DeletedKind; done: number }) => void;

/**
 * Deletes the owner's library records (`DELETED_KINDS`, in that order) in batches within the
 * store's limit, page by page; safe to repeat, as every delete is. What a reset keeps (credentials,
 * settings other than the mirror's run state, match decisions, the run log, leases and other
 * expiring records) is never read for deletion. Returns how many records of each kind it deleted.
 */
export async function emptyOwner(ctx: UseCaseContext, partitions: OwnerPartitions, onProgress?: EmptyProgress): Promise<Record<DeletedKind, number>> {
  const { storage, ownerId } = ctx;
  const deleted = Object.fromEntries(DELETED_KINDS.map((kind) => [kind, 0])) as Record<DeletedKind, number>;
  /** One group per record (a series with its cached status), in as few batches as fit. */
  const remove = async (kind: DeletedKind, groups: BatchOperation[][]) => {
    if (groups.length === 0) return;
    await applyInChunks(storage, ownerId, groups);
    deleted[kind] += groups.length;
    onProgress?.({ kind, done: deleted[kind] });
  };
  const removePaged = <T>(kind: DeletedKind, list: List<T>, operations: (item: T) => BatchOperation[]) => forEachPage(list, (items) => remove(kind, items.map(operations)));

  await removePaged(
    'mirrorState',
    (cursor) => storage.listSettings(ownerId, { limit: PAGE, cursor }).then((page) => ({ ...page, items: page.items.filter((s) => isResetSetting(s.key)) })),
    (s) => [{ op: 'deleteSetting', key: s.key }],
  );
  const now = nowOf(ctx);
  await removePaged(
    'statusCache',
    (cursor) => storage.listExpiring(ownerId, SERIES_STATUS_KIND, now, { limit: PAGE, cursor }),
    (r) => [{ op: 'deleteExpiring', kind: r.kind, key: r.key }],
  );
  await removePaged(
    'seriesAliases',
    (cursor) => storage.listSeriesAliases(ownerId, { limit: PAGE, cursor }),
    (a) => [{ op: 'deleteSeriesAlias', alias: a.alias }],
  );
  await removePaged(
    'links',
    (cursor) => storage.listLinks(ownerId, { limit: PAGE, cursor }),
    (l) => [{ op: 'deleteLink', asin: l.asin, source: l.source }],
  );
  await removePaged(
    'trackerBooks',
    (cursor) => storage.listTrackerBooks(ownerId, { limit: PAGE, cursor }),
    (b) => [{ op: 'deleteTrackerBook', source: b.source, trackerId: b.trackerId }],
  );
  await removePaged(
    'conflicts',
    (cursor) => storage.listConflicts(ownerId, { limit: PAGE, cursor }),
    (c) => [{ op: 'deleteConflict', id: c.id }],
  );
  // Left only when Notion was never reset here (no databases set up any more): nothing to trash.
  await removePaged(
    'mirrorRecords',
    (cursor) => storage.listMirrorRecords(ownerId, { limit: PAGE, cursor }),
    (r) => [{ op: 'deleteMirrorRecord', table: r.table, key: r.key }],
  );
  await removePaged(
    'series',
    (cursor) => storage.listSeries(ownerId, { limit: PAGE, cursor }),
    (s) => [{ op: 'deleteSeries', key: s.key }, ...statusInvalidations([s.key])],
  );

  // Baselines are listed per title: every ASIN that has a title or a progress row (both are
  // deleted after this, so a rerun still finds the ASINs of baselines left behind).
  const asins = new Set<string>();
  await forEachPage(
    (cursor) => storage.listTitles(ownerId, { limit: PAGE, cursor }),
    async (items) => items.forEach((t) => asins.add(t.asin)),
  );
  await forEachPage(
    (cursor) => storage.listProgress(ownerId, { limit: PAGE, cursor }),
    async (items) => items.forEach((p) => asins.add(p.asin)),
  );
  const sorted = [...asins].sort();
  for (let start = 0; start < sorted.length; start += PAGE) {
    const chunk = sorted.slice(start, start + PAGE);
    const baselines = [];
    for (let i = 0; i < chunk.length; i += PARALLEL_READS) {
      const read = await Promise.all(chunk.slice(i, i + PARALLEL_READS).map((asin) => storage.listBaselines(ownerId, asin)));
      baselines.push(...read.flat());
    }
    await remove(
      'baselines',
      baselines.map((b) => [{ op: 'deleteBaseline', asin: b.asin, source: b.source }]),
    );
  }

  deleted.history += await partitions.purge(ownerId, 'history', (done) => onProgress?.({ kind: 'history', done }));
  deleted.progress += await partitions.purge(ownerId, 'progress', (done) => onProgress?.({ kind: 'progress', done }));

  await removePaged(
    'titles',
    (cursor) => storage.listTitles(ownerId, { limit: PAGE, cursor }),
    (t) => [{ op: 'deleteTitle', asin: t.asin }],
  );
  return deleted;
}
