import type { ConsumedCapacity as WireCapacity } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { BATCH_WRITE_LIMIT, batchWriteAll, type WriteRequest } from '../client/batch-write.js';
import { backoffMs, sleep, withThrottlingRetry, type RetryOptions } from '../client/retry.js';
import { forEachLimited } from './concurrency.js';
import { keyId, type ItemKey } from './keys.js';

export type Item = Record<string, NativeAttributeValue>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What one request consumed, as `createDynamoStorage`'s `onConsumedCapacity` receives it. */
export interface ConsumedCapacity {
  /** The DynamoDB API call: `Query`, `GetItem`, `BatchGetItem`, `TransactWriteItems`, `BatchWriteItem`, ... */
  operation: string;
  /** The port method that sent it: `listTitles`, `applyBatch`, ... */
  method: string;
  readUnits: number;
  writeUnits: number;
}

export interface TableClientOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  onConsumedCapacity?: (capacity: ConsumedCapacity) => void;
  retry?: RetryOptions;
}

/** Request fields the client sets itself. */
type Own = 'TableName' | 'ReturnConsumedCapacity';
export type QueryInput = Omit<QueryCommandInput, Own | 'ExclusiveStartKey' | 'Limit'> & { ExclusiveStartKey?: Item };

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query']);
/** BatchWriteItem requests in flight at once: a batch's 100 titles in 3 series are 12 requests. */
const PARALLEL_BATCH_WRITES = 4;

/** `#name` placeholders for attribute names, so no name can clash with DynamoDB's reserved words. */
export function names(...attributes: readonly string[]): Record<string, string> {
  return Object.fromEntries(attributes.map((attribute) => [`#${attribute}`, attribute]));
}

export function projectionOf(attributes: readonly string[]): string {
  return attributes.map((attribute) => `#${attribute}`).join(', ');
}

/**
 * The library's requests to its table: every one retried while DynamoDB throttles, and its
 * consumed capacity reported when the caller asked for it (only then is `ReturnConsumedCapacity`
 * set, so an adapter without a listener sends the leanest requests). `method` names the port
 * method a request serves, for the report.
 */
export class TableClient {
  readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly capacity: 'TOTAL' | undefined;

  constructor(private readonly options: TableClientOptions) {
    this.tableName = options.tableName;
    this.client = options.documentClient;
    this.capacity = options.onConsumedCapacity ? 'TOTAL' : undefined;
  }

  /** One item by key, read strongly consistent; null when missing. */
  async get(method: string, key: ItemKey, attributes?: readonly string[]): Promise<Item | null> {
    // DynamoDB refuses an empty key; no item has one (writes validate their keys), so nothing is there.
    if (key.sk === '') return null;
    const answer = await this.send(method, 'GetItem', () =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key,
          ConsistentRead: true,
          ...(attributes ? { ProjectionExpression: projectionOf(attributes), ExpressionAttributeNames: names(...attributes) } : {}),
          ReturnConsumedCapacity: this.capacity,
        }),
      ),
    );
    return answer.Item ?? null;
  }

  /**
   * The items among `keys` that exist (any order), read strongly consistent, 100 keys to a
   * request, with unprocessed keys sent again after a backoff. Duplicate keys are read once, empty ones not at all.
   */
  async batchGet(method: string, keys: readonly ItemKey[], attributes?: readonly string[]): Promise<Item[]> {
    const unique = [...new Map(keys.filter((key) => key.sk !== '').map((key) => [keyId(key), key])).values()];
    const found: Item[] = [];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: Item[] = unique.slice(start, start + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const request = {
          Keys: pending,
          ConsistentRead: true,
          ...(attributes ? { ProjectionExpression: projectionOf(attributes), ExpressionAttributeNames: names(...attributes) } : {}),
        };
        const answer = await this.send(method, 'BatchGetItem', () =>
          this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: request }, ReturnConsumedCapacity: this.capacity })),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) found.push(item);
        pending = answer.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length === 0) break;
        if (attempt + 1 >= (this.options.retry?.attempts ?? 8)) throw new Error(`DynamoDB left ${pending.length} keys unread after ${attempt + 1} attempts`);
        await sleep(backoffMs(attempt, this.options.retry));
      }
    }
    return found;
  }

  /**
   * A Query, page by page (DynamoDB stops a page at 1 MB or at `Limit` items evaluated).
   * `limit()` is asked before each request, so a caller can ask for just what it still needs.
   */
  async *query(method: string, input: QueryInput, limit: () => number | undefined = () => undefined): AsyncGenerator<Item[]> {
    let start = input.ExclusiveStartKey;
    do {
      const answer = await this.send(method, 'Query', () =>
        this.client.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start, Limit: limit(), ReturnConsumedCapacity: this.capacity })),
      );
      yield answer.Items ?? [];
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /** How many items a Query matches (`Select: COUNT`): no item is sent back, though every one read is paid for. */
  async count(method: string, input: Omit<QueryInput, 'Select' | 'ProjectionExpression'>): Promise<number> {
    let total = 0;
    let start: Item | undefined;
    do {
      const answer = await this.send(method, 'Query', () =>
        this.client.send(new QueryCommand({ ...input, TableName: this.tableName, Select: 'COUNT', ExclusiveStartKey: start, ReturnConsumedCapacity: this.capacity })),
      );
      total += answer.Count ?? 0;
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
    return total;
  }

  async put(method: string, input: Omit<PutCommandInput, Own>): Promise<void> {
    await this.send(method, 'PutItem', () => this.client.send(new PutCommand({ ...input, TableName: this.tableName, ReturnConsumedCapacity: this.capacity })));
  }

  async delete(method: string, input: Omit<DeleteCommandInput, Own>): Promise<void> {
    await this.send(method, 'DeleteItem', () => this.client.send(new DeleteCommand({ ...input, TableName: this.tableName, ReturnConsumedCapacity: this.capacity })));
  }

  async update(method: string, input: Omit<UpdateCommandInput, Own>): Promise<Item | undefined> {
    const answer = await this.send(method, 'UpdateItem', () =>
      this.client.send(new UpdateCommand({ ...input, TableName: this.tableName, ReturnConsumedCapacity: this.capacity })),
    );
    return answer.Attributes;
  }

  /**
   * One TransactWriteItems. `token` makes the SDK's own resend of a request that timed out
   * idempotent (DynamoDB applies a token's transaction once within ten minutes).
   */
  async transactWrite(method: string, items: readonly TransactItem[], token: string): Promise<void> {
    await this.send(method, 'TransactWriteItems', () =>
      this.client.send(new TransactWriteCommand({ TransactItems: items.slice(), ClientRequestToken: token, ReturnConsumedCapacity: this.capacity })),
    );
  }

  /** Unconditional writes (index rows), 25 to a request and a few requests at once; not atomic. */
  async batchWrite(method: string, requests: readonly WriteRequest[]): Promise<void> {
    const listener = this.options.onConsumedCapacity;
    const options = {
      ...this.options.retry,
      ...(listener ? { onConsumed: (units: number) => listener({ operation: 'BatchWriteItem', method, readUnits: 0, writeUnits: units }) } : {}),
    };
    const chunks: WriteRequest[][] = [];
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) chunks.push(requests.slice(start, start + BATCH_WRITE_LIMIT));
    await forEachLimited(chunks, PARALLEL_BATCH_WRITES, (chunk) => batchWriteAll(this.client, this.tableName, chunk, options));
  }

  private async send<T extends { ConsumedCapacity?: WireCapacity | WireCapacity[] }>(method: string, operation: string, request: () => Promise<T>): Promise<T> {
    const answer = await withThrottlingRetry(request, this.options.retry);
    this.report(method, operation, answer.ConsumedCapacity);
    return answer;
  }

  private report(method: string, operation: string, consumed: WireCapacity | WireCapacity[] | undefined): void {
    const listener = this.options.onConsumedCapacity;
    if (!listener || consumed === undefined) return;
    const isRead = READ_OPERATIONS.has(operation);
    for (const entry of Array.isArray(consumed) ? consumed : [consumed]) {
      // Single-item calls report only the total; transactions may split it into reads (condition checks) and writes.
      const total = entry.CapacityUnits ?? 0;
      listener({
        operation,
        method,
        readUnits: entry.ReadCapacityUnits ?? (isRead ? total : 0),
        writeUnits: entry.WriteCapacityUnits ?? (isRead ? 0 : total),
      });
    }
  }
}
