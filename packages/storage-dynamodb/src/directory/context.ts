import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDirectoryTable, type DirectoryTable, type Item } from './directory-table.js';
import { createItemReader, type ItemReader } from './items.js';
import { keys } from './keys.js';

/** What every group of directory methods works with. */
export interface DirectoryContext {
  table: DirectoryTable;
  read: ItemReader;
  /** The user's item when the user exists and no deletion of them has begun; else null. */
  /** The user item unless it is being deleted; `attributes` adds to what is projected. */
  liveUser(userId: string, attributes?: readonly string[]): Promise<Item | null>;
}

export function createDirectoryContext(documentClient: DynamoDBDocumentClient, tableName: string): DirectoryContext {
  const table = createDirectoryTable(documentClient, tableName);
  return {
    table,
    read: createItemReader(tableName),
    async liveUser(userId, attributes = []) {
      const item = await table.get(keys.user(userId), ['pk', 'id', 'name', 'createdAt', 'deleting', ...attributes]);
      return item && item.deleting === undefined ? item : null;
    },
  };
}
