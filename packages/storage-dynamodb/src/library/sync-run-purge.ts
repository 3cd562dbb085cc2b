import { parseStartedBefore } from '@sagasync/storage';
import { instantPart, partition, TAGS } from './keys.js';
import type { TableClient } from './table-client.js';

/**
 * `purgeSyncRuns`: the owner's runs that started before the bound, found on the runs-by-time
 * index (sort keys lead with the start instant, so they are one key range below the bound's
 * instant) with keys only, then deleted 25 to a request, page by page.
 */
export async function purgeSyncRuns(table: TableClient, owner: string, startedBefore: Date): Promise<number> {
  const bound = instantPart(parseStartedBefore(startedBefore));
  let purged = 0;
  for await (const page of table.query('purgeSyncRuns', {
    IndexName: 'gsi1',
    KeyConditionExpression: '#ipk = :pk AND #isk < :bound',
    ExpressionAttributeNames: { '#ipk': 'gsi1pk', '#isk': 'gsi1sk', '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': partition(owner, TAGS.runsByTime), ':bound': bound },
    ProjectionExpression: '#pk, #sk',
  })) {
    if (page.length === 0) continue;
    await table.batchWrite(
      'purgeSyncRuns',
      page.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    );
    purged += page.length;
  }
  return purged;
}
