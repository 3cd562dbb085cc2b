import { forEachLimited } from './concurrency.js';
import { isConditionFailure } from './dynamo-errors.js';
import { ATTR } from './items.js';
import { partition, sortKey, sortKeyPrefix, TAGS, titlePartition, type ItemKey } from './keys.js';
import { names, type Item, type TableClient } from './table-client.js';

/**
 * Series-membership hints: one small item per (series, title) in the owner's `SM` partition,
 * sorted by (series key, ASIN), so `listTitles({ seriesKeys })` is one Query per series instead of
 * a read of every title. A title may be in several series and a transaction takes one action per
 * operation, so hints cannot be written in the title's transaction; they are kept as a superset
 * of the truth instead:
 *
 * - before the transaction, the hints of series a title joins are written (BatchWriteItem);
 * - after it commits, the hints of series it left (and leftovers, found on gsi1 in the title's own
 *   index partition) are deleted;
 * - reads check every hint against the title itself (BatchGetItem), so a hint without a
 *   membership (a crash between the steps, a failed transaction) is never shown, only left for the
 *   next write of that title to delete.
 *
 * Deleting is what could break the superset: a writer that committed a title without series S
 * must not delete the hint another writer just wrote because it is about to commit the title
 * with S. Each hint therefore carries `hb`, a number from the owner's hint sequence taken *after*
 * its writer read the title, and a cleaner deletes only hints with `hb` at most its own number,
 * taken after its read and before its commit. A writer that read the cleaner's commit took its
 * number later, so its hint is kept; a writer that read an older state fails its condition and
 * plans again. (The one case left open: other writers create and delete a title between one
 * writer's read, which found it absent, and that writer's create; `attribute_not_exists` cannot
 * tell the two absences apart, and the deleter's cleanup may take the new hint.)
 */
const HINT_SEQUENCE = 'hb';
const COUNTER = 'n';
const ASIN = 'asin';
/** Requests in flight at once for per-title and per-series work. */
const PARALLEL_REQUESTS = 8;

export interface Hint {
  asin: string;
  seriesKey: string;
}

/** A title a batch writes or deletes: whether it existed, and its series keys before and after. */
export interface TitleWrite {
  asin: string;
  existed: boolean;
  before: readonly string[];
  after: readonly string[];
}

function sequenceKey(owner: string): ItemKey {
  return { pk: partition(owner, TAGS.hintSequence), sk: 'hints' };
}

function hintKey(owner: string, hint: Hint): ItemKey {
  return { pk: partition(owner, TAGS.membership), sk: sortKey(hint.seriesKey, hint.asin) };
}

function hintItem(owner: string, hint: Hint, sequence: number): Item {
  return {
    ...hintKey(owner, hint),
    [HINT_SEQUENCE]: sequence,
    [ASIN]: hint.asin,
    [ATTR.seriesKey]: hint.seriesKey,
    gsi1pk: titlePartition(owner, TAGS.membershipsByTitle, hint.asin),
    gsi1sk: sortKey(hint.seriesKey),
  };
}

export class SeriesHints {
  constructor(private readonly table: TableClient) {}

  /** A number greater than any taken before this call: for a batch that writes hints. */
  async nextSequence(owner: string): Promise<number> {
    const attributes = await this.table.update('applyBatch', {
      Key: sequenceKey(owner),
      UpdateExpression: 'ADD #n :one',
      ExpressionAttributeNames: names(COUNTER),
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes?.[COUNTER] as number;
  }

  /** The last number taken: for a batch that only deletes hints. */
  async currentSequence(owner: string): Promise<number> {
    const item = await this.table.get('applyBatch', sequenceKey(owner), [COUNTER]);
    return (item?.[COUNTER] as number | undefined) ?? 0;
  }

  async write(owner: string, hints: readonly Hint[], sequence: number): Promise<void> {
    await this.table.batchWrite(
      'applyBatch',
      hints.map((hint) => ({ PutRequest: { Item: hintItem(owner, hint, sequence) } })),
    );
  }

  /** Whether a batch writing `titles` deletes hints after it commits, so needs a sequence number. */
  static cleans(titles: readonly TitleWrite[]): boolean {
    return titles.some((title) => title.existed);
  }

  /**
   * After a batch committed: deletes the hints of each title that name a series it is not in
   * now: the series it had before, and for a title that existed, any hint an earlier failed write
   * left (found on gsi1, which may lag a moment: what it misses waits for the next write). A
   * created title is not searched: its leftovers can only come from a failed create or a delete
   * whose cleanup never ran, and wait for its first update (reads skip them meanwhile); that keeps
   * an import of new titles at no reads per title. Only hints numbered at most `sequence` go (see
   * above); a delete whose condition fails leaves a hint someone needs.
   */
  async clean(owner: string, titles: readonly TitleWrite[], sequence: number): Promise<void> {
    await forEachLimited(titles, PARALLEL_REQUESTS, async (title) => {
      const keep = new Set(title.after);
      const leftovers = title.existed ? await this.seriesOfTitle(owner, title.asin) : [];
      const stale = new Set([...title.before, ...leftovers].filter((key) => !keep.has(key)));
      for (const seriesKey of stale) {
        try {
          await this.table.delete('applyBatch', {
            Key: hintKey(owner, { asin: title.asin, seriesKey }),
            ConditionExpression: '#hb <= :sequence',
            ExpressionAttributeNames: names(HINT_SEQUENCE),
            ExpressionAttributeValues: { ':sequence': sequence },
          });
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
    });
  }

  /** The series keys of the hints naming `asin` (gsi1: eventually consistent). */
  private async seriesOfTitle(owner: string, asin: string): Promise<string[]> {
    const found: string[] = [];
    for await (const page of this.table.query('applyBatch', {
      IndexName: 'gsi1',
      KeyConditionExpression: '#gpk = :pk',
      ExpressionAttributeNames: { ...names(ATTR.seriesKey), '#gpk': 'gsi1pk' },
      ExpressionAttributeValues: { ':pk': titlePartition(owner, TAGS.membershipsByTitle, asin) },
      ProjectionExpression: `#${ATTR.seriesKey}`,
    })) {
      for (const item of page) found.push(item[ATTR.seriesKey] as string);
    }
    return found;
  }

  /** The ASINs hinted to be in any of `seriesKeys`, sorted and once each: candidates to check against the titles. */
  async candidates(method: string, owner: string, seriesKeys: readonly string[]): Promise<string[]> {
    const asins = new Set<string>();
    await forEachLimited([...new Set(seriesKeys)], PARALLEL_REQUESTS, async (seriesKey) => {
      for await (const page of this.table.query(method, {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: names('pk', 'sk', ASIN),
        ExpressionAttributeValues: { ':pk': partition(owner, TAGS.membership), ':prefix': sortKeyPrefix(seriesKey) },
        ProjectionExpression: `#${ASIN}`,
        ConsistentRead: true,
      })) {
        for (const item of page) asins.add(item[ASIN] as string);
      }
    });
    return [...asins].sort();
  }
}
