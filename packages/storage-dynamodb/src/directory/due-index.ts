import type { SyncSchedule } from '@sagasync/core';
import type { CursorKey } from '@sagasync/storage';
import type { DirectoryContext } from './context.js';
import type { Item } from './directory-table.js';
import { DUE_SHARDS, dueShardKey, INDEX_NAME, timeKey, timeKeyAfter } from './keys.js';

interface Entry {
  sortKey: string;
  schedule: SyncSchedule;
}

/** DynamoDB compares string keys as UTF-8 bytes; merging the shards must use the same order. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Enabled schedules whose next allowed time is at or before `nowMs`, after the cursor key, in
 * (next allowed time, user id) order, that `keep` accepts: at most `want` of them. Each shard of
 * the due index is one Query over a key range, read page by page; the shards are merged by their
 * index sort key, so the result is in one global order and a cursor continues all shards at once.
 */
export async function readDueSchedules(
  { table, read }: DirectoryContext,
  nowMs: number,
  after: CursorKey | null,
  want: number,
  keep: (schedule: SyncSchedule) => boolean,
): Promise<SyncSchedule[]> {
  const end = timeKeyAfter(nowMs);
  const start = after ? timeKey(Number(after[0]), String(after[1])) : null;
  // A cursor past now (from a call with a later now) has nothing after it in this range.
  if (start !== null && compareUtf8(start, end) >= 0) return [];

  async function* shard(index: number): AsyncGenerator<Entry> {
    const pages = table.queryPages({
      IndexName: INDEX_NAME,
      // BETWEEN is inclusive: the cursor's own entry comes back and is skipped below.
      KeyConditionExpression: start === null ? 'gsi1pk = :pk AND gsi1sk < :end' : 'gsi1pk = :pk AND gsi1sk BETWEEN :start AND :end',
      ExpressionAttributeValues: { ':pk': dueShardKey(index), ':end': end, ...(start === null ? {} : { ':start': start }) },
      ...(Number.isFinite(want) ? { Limit: Math.min(want + 1, 1000) } : {}),
    });
    for await (const page of pages) {
      for (const item of page as Item[]) {
        const sortKey = String(item.gsi1sk);
        if (sortKey === start) continue;
        const schedule = read.schedule(item);
        if (keep(schedule)) yield { sortKey, schedule };
      }
    }
  }

  const shards = Array.from({ length: DUE_SHARDS }, (_, index) => shard(index));
  const pull = async (index: number): Promise<Entry | null> => {
    const next = await shards[index]!.next();
    return next.done ? null : next.value;
  };
  try {
    // The head of each shard; the smallest one is the next schedule in the global order.
    const heads = await Promise.all(shards.map((_, index) => pull(index)));
    const due: SyncSchedule[] = [];
    while (due.length < want) {
      let first = -1;
      heads.forEach((head, index) => {
        if (head && (first < 0 || compareUtf8(head.sortKey, heads[first]!.sortKey) < 0)) first = index;
      });
      if (first < 0) break;
      due.push(heads[first]!.schedule);
      heads[first] = await pull(first);
    }
    return due;
  } finally {
    // Stop the streams still open, so no half-read page stays pending.
    await Promise.all(shards.map((stream) => stream.return(undefined)));
  }
}
