import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { backoffMs, isThrottling, sleep, withThrottlingRetry } from '../client/retry.js';
import type { ItemKey } from './keys.js';

export type Item = Record<string, NativeAttributeValue>;
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'ConsistentRead'>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A condition expression with its placeholders. Attribute names go through `#names`: several (name, hash, ttl, day) are reserved words. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, NativeAttributeValue>;
}

export const conditions = {
  absent: { expression: 'attribute_not_exists(pk)' } satisfies Condition,
  present: { expression: 'attribute_exists(pk)' } satisfies Condition,
  /** On a user item: the user exists and no `deleteUser` has begun (see delete-user.ts). */
  userLive: { expression: 'attribute_exists(pk) AND attribute_not_exists(#deleting)', names: { '#deleting': 'deleting' } } satisfies Condition,
  versionIs: (version: number): Condition => ({ expression: '#version = :version', names: { '#version': 'version' }, values: { ':version': version } }),
};

/** How a transaction ended: committed, or cancelled with the actions whose condition failed. */
export type TransactOutcome =
  | { ok: true }
  | {
      ok: false;
      /** Per action, in request order: its condition failed. */
      failed: boolean[];
      /** Cancelled by a concurrent transaction or throttling rather than (only) a condition: sending again may succeed. */
      contended: boolean;
    };

/** A single-item write that a running transaction on the same item refused; safe to send again. */
const isTransactionConflict = (error: unknown) => error instanceof Error && error.name === 'TransactionConflictException';
const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** TransactWriteItems takes at most 100 actions. */
export const TRANSACTION_LIMIT = 100;

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;

function expression(condition: Condition | undefined) {
  if (!condition) return {};
  return {
    ConditionExpression: condition.expression,
    ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
}

/** Drops undefined attributes, so items are the same whatever marshalling options the caller's client has. */
export function compact(item: Record<string, NativeAttributeValue | undefined>): Item {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

/**
 * The directory's access to its table: every read of the base table is strongly consistent, every
 * request is sent again while DynamoDB throttles it (and, for single-item writes, while a
 * transaction holds the item), and conditional writes answer false instead of throwing.
 */
export function createDirectoryTable(client: DynamoDBDocumentClient, tableName: string) {
  async function send<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await withThrottlingRetry(request);
      } catch (error) {
        if (!isTransactionConflict(error) || attempt >= 7) throw error;
        await sleep(backoffMs(attempt, { baseMs: 20 }));
      }
    }
  }

  /** Runs a conditional write; false when its condition failed. */
  async function conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await send(write);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** A Query's pages, following `LastEvaluatedKey`; base-table queries are strongly consistent (an index cannot be). */
  async function* queryPages(input: QueryInput): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const from = start;
      const answer = await send(() => client.send(new QueryCommand({ ...input, TableName: tableName, ConsistentRead: !input.IndexName, ExclusiveStartKey: from })));
      yield answer.Items ?? [];
      start = answer.LastEvaluatedKey;
    } while (start);
  }

  return {
    tableName,

    async get(key: ItemKey, attributes?: readonly string[]): Promise<Item | null> {
      const names = attributes ? Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])) : undefined;
      const answer = await send(() =>
        client.send(
          new GetCommand({
            TableName: tableName,
            Key: key,
            ConsistentRead: true,
            ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
          }),
        ),
      );
      return answer.Item ?? null;
    },

    /** The items of `keys` that exist, in no particular order; unprocessed keys are asked for again. */
    async getMany(keys: readonly ItemKey[]): Promise<Item[]> {
      const found: Item[] = [];
      for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
        let pending: Item[] = keys.slice(start, start + BATCH_GET_LIMIT).map((key) => ({ ...key }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          const request = pending;
          const answer = await send(() => client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: true } } })));
          found.push(...(answer.Responses?.[tableName] ?? []));
          pending = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
          if (pending.length > 0) await sleep(backoffMs(Math.min(attempt, 6)));
        }
      }
      return found;
    },

    queryPages,

    /** Every item of a Query (for small results: a user's refs). */
    async queryAll(input: QueryInput): Promise<Item[]> {
      const items: Item[] = [];
      for await (const page of queryPages(input)) items.push(...page);
      return items;
    },

    put: (item: Item, condition?: Condition) => conditional(() => client.send(new PutCommand({ TableName: tableName, Item: item, ...expression(condition) }))),

    /** UpdateItem; the item after the update, or null when the condition failed. */
    async update(key: ItemKey, update: { expression: string; names?: Record<string, string>; values?: Item }, condition?: Condition): Promise<Item | null> {
      const names = { ...update.names, ...condition?.names };
      const values = { ...update.values, ...condition?.values };
      try {
        const answer = await send(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression: update.expression,
              ...(condition ? { ConditionExpression: condition.expression } : {}),
              ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
              ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return answer.Attributes ?? null;
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    },

    /** DeleteItem (unconditional without `condition`); the deleted item, or null when there was none or the condition failed. */
    async delete(key: ItemKey, condition?: Condition): Promise<Item | null> {
      try {
        const answer = await send(() => client.send(new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD', ...expression(condition) })));
        return answer.Attributes ?? null;
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    },

    /**
     * TransactWriteItems (at most 100 actions, all or none). The SDK gives every request a client
     * token and resends it unchanged on a network retry, so a commit is never applied twice.
     */
    async transact(actions: readonly TransactItem[]): Promise<TransactOutcome> {
      try {
        await send(() => client.send(new TransactWriteCommand({ TransactItems: [...actions] })));
        return { ok: true };
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const failed = actions.map((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
        const contended = reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError') || isThrottling(error);
        // A cancellation for any other reason (an item too large, a validation error) is not ours to retry.
        if (!contended && !failed.some(Boolean)) throw error;
        return { ok: false, failed, contended };
      }
    },

    tx: {
      put: (item: Item, condition?: Condition): TransactItem => ({ Put: { TableName: tableName, Item: item, ...expression(condition) } }),
      delete: (key: ItemKey, condition?: Condition): TransactItem => ({ Delete: { TableName: tableName, Key: { ...key }, ...expression(condition) } }),
      check: (key: ItemKey, condition: Condition): TransactItem => ({ ConditionCheck: { TableName: tableName, Key: { ...key }, ...expression(condition), ConditionExpression: condition.expression } }),
    },
  };
}

export type DirectoryTable = ReturnType<typeof createDirectoryTable>;
