import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '@sagasync/storage-dynamodb';

/**
 * The owner's records the storage port can list but never delete: progress rows (they "go with
 * their title" in the port, which has no delete for them) and listening history (append-only).
 * A reset empties the library, so it deletes them where they are stored.
 */
export type UnportedKind = 'progress' | 'history';

export interface OwnerPartitions {
  count(ownerId: string, kind: UnportedKind): Promise<number>;
  /** Deletes every record of the kind; safe to repeat. Returns how many it deleted. */
  purge(ownerId: string, kind: UnportedKind, onDeleted?: (deleted: number) => void): Promise<number>;
}

/**
 * `@sagasync/storage-dynamodb` keeps each owner's records of one kind in one partition,
 * `O#<owner>#<tag>` (its library/keys.ts): `P` holds the progress rows, `H` the history entries,
 * and neither has index entries or other items hanging off it. If that layout changes, the reset
 * test (which checks through the port that both are gone) fails.
 */
const TAGS: Record<UnportedKind, string> = { progress: 'P', history: 'H' };
const partitionOf = (ownerId: string, kind: UnportedKind) => `O#${ownerId}#${TAGS[kind]}`;

/** Keys read per query page (each page is deleted before the next is read). */
const PAGE = 500;

export function dynamoOwnerPartitions(documentClient: DynamoDBDocumentClient, tableName: string): OwnerPartitions {
  const query = (ownerId: string, kind: UnportedKind, start: Record<string, unknown> | undefined, select: 'COUNT' | 'KEYS') =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partitionOf(ownerId, kind) },
        ConsistentRead: true,
        ...(select === 'COUNT' ? { Select: 'COUNT' } : { ProjectionExpression: 'pk, sk', Limit: PAGE }),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );

  return {
    async count(ownerId, kind) {
      let total = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await query(ownerId, kind, start, 'COUNT');
        total += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return total;
    },
    async purge(ownerId, kind, onDeleted) {
      let deleted = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await query(ownerId, kind, start, 'KEYS');
        const keys = (page.Items ?? []).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
        await batchWriteAll(documentClient, tableName, keys);
        deleted += keys.length;
        onDeleted?.(deleted);
        start = page.LastEvaluatedKey;
      } while (start);
      return deleted;
    },
  };
}
