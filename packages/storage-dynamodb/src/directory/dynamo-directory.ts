import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StorageError, type DirectoryPort } from '@sagasync/core';
import { createAccountStore } from './account-store.js';
import { accountMethods } from './accounts.js';
import { createDirectoryContext } from './context.js';
import { deleteUserMethod } from './delete-user.js';
import { toDirectoryError } from './dynamo-errors.js';
import { scheduleMethods } from './schedules.js';
import { signInMethods } from './sign-ins.js';
import { tokenMethods } from './tokens.js';
import { userMethods } from './users.js';
import { webhookSecretMethods } from './webhook-secrets.js';

export interface DynamoDirectoryOptions {
  /**
   * The caller's document client (`createDocumentClient` or `documentClientFor`): numbers must come
   * back as numbers (`wrapNumbers: false`, the default).
   */
  documentClient: DynamoDBDocumentClient;
  /** The table made by `createTable` (or the CDK stack from `tableDefinition`); the library port may share it. */
  tableName: string;
  /** Destroy the document client on `close()`. @default false */
  destroyClientOnClose?: boolean;
}

type Methods = Omit<DirectoryPort, 'close'>;

/**
 * The directory port on DynamoDB, in the one table the library port uses too (its items are under
 * `D#` keys). Uniqueness is claim items written with `attribute_not_exists` in the transaction that
 * writes what they claim; checks-then-writes are optimistic (a consistent read, then a write
 * conditioned on what was read, retried when another writer got in between). No method scans: see
 * docs/directory-access-patterns.md for each one's keys, index and conditions.
 */
export function createDynamoDirectory(options: DynamoDirectoryOptions): DirectoryPort {
  const { documentClient, tableName } = options;
  const ctx = createDirectoryContext(documentClient, tableName);
  const accounts = createAccountStore(ctx);
  const methods: Methods = {
    ...userMethods(ctx),
    ...deleteUserMethod(ctx, accounts),
    ...tokenMethods(ctx),
    ...webhookSecretMethods(ctx),
    ...accountMethods(ctx, accounts),
    ...signInMethods(ctx),
    ...scheduleMethods(ctx),
  };
  let closed = false;

  // Every method: refused once closed, and any failure mapped to a SagaSyncError naming the method.
  const guarded = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [name, method] of Object.entries(methods) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    guarded[name] = async (...args) => {
      try {
        if (closed) throw new StorageError(name, new Error(`the SagaSync directory on DynamoDB table ${tableName} is closed`));
        return await method(...args);
      } catch (error) {
        throw toDirectoryError(error, tableName, name);
      }
    };
  }

  return {
    ...(guarded as unknown as Methods),
    async close() {
      if (closed) return;
      closed = true;
      if (options.destroyClientOnClose) documentClient.destroy();
    },
  };
}
