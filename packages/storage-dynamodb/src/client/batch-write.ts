import { BatchWriteCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { backoffMs, sleep, withThrottlingRetry, type RetryOptions } from './retry.js';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, NativeAttributeValue> } }
  | { DeleteRequest: { Key: Record<string, NativeAttributeValue> } };

/** BatchWriteItem takes at most 25 requests. */
export const BATCH_WRITE_LIMIT = 25;

/**
 * Writes that need no condition (index rows, history, purges), 25 to a request, sending
 * `UnprocessedItems` again with jittered backoff until none are left. Not atomic: callers use it
 * only where a half-done write is safe to repeat.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: RetryOptions & { onConsumed?: (units: number) => void } = {},
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending: WriteRequest[] = requests.slice(start, start + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const answer = await withThrottlingRetry(
        () => client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending }, ReturnConsumedCapacity: options.onConsumed ? 'TOTAL' : undefined })),
        options,
      );
      for (const used of answer.ConsumedCapacity ?? []) options.onConsumed?.(used.CapacityUnits ?? 0);
      pending = (answer.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      if (pending.length === 0) break;
      if (attempt + 1 >= (options.attempts ?? 8)) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${attempt + 1} attempts`);
      await sleep(backoffMs(attempt, options));
    }
  }
}
